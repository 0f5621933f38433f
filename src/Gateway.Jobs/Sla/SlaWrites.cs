using System.Globalization;
using Gateway.Fhir.Audit;
using Gateway.Fhir.Storage;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Jobs.Sla;

/// <summary>Stores a Task the SLA checks changed, with a Provenance saying why (SPEC §5: every change has one).</summary>
internal static class SlaWrites
{
    public const string Component = "sla-checks";

    public static async Task UpdateAsync(ResourceWriter gateway, FhirTask task, string why, CancellationToken ct)
    {
        var before = $"Task/{task.Id}/_history/{task.Meta?.VersionId}";
        var (stored, _) = await gateway.UpdateAsync(task, null, ct);
        var target = $"Task/{stored.Id}/_history/{stored.Version.ToString(CultureInfo.InvariantCulture)}";
        await gateway.CreateAsync(ProvenanceBuilder.Build([target], created: false, why, null, [before], gateway.Now, Component), ct);
    }
}
