using Gateway.Fhir.Audit;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Utility;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Workflow;

/// <summary>
/// SPEC §5: every Task state change keeps a Provenance, whatever path made it (PUT, PATCH,
/// transaction, partner record, job): who moved it, from which status to which, targeting the
/// new version. A change the workflow itself wrote, or a partner record applied, already has one
/// naming why; it gets no second.
/// </summary>
internal static class TaskTransitions
{
    public static async Task RecordAsync(ResourceWriter gateway, FhirTask previous, FhirTask task, ResourceChange change, CancellationToken ct)
    {
        if (gateway.HasProvenanceFor(change.VersionReference))
        {
            return;
        }

        var by = change.By is null ? "the gateway" : $"{change.By.OrganizationReference} (client {change.By.ClientId})";
        var reason = task.StatusReason is { } why && TaskStateMachine.NeedReason.Contains(task.Status ?? FhirTask.TaskStatus.Requested)
            ? $": {why.Text ?? why.Coding.FirstOrDefault()?.Display ?? why.Coding.FirstOrDefault()?.Code}"
            : "";
        var what = $"Task/{task.Id} moved from {previous.Status?.GetLiteral()} to {task.Status?.GetLiteral()} by {by}{reason}.";
        var before = $"Task/{task.Id}/_history/{(change.Version - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        await gateway.CreateAsync(ProvenanceBuilder.Build([change.VersionReference], created: false, what, change.By, [before], gateway.Now), ct);
    }
}
