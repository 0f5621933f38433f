using Gateway.Fhir.Audit;
using Gateway.Fhir.Search;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Workflow;

/// <summary>The workflow's reads and writes as the gateway, each write with its Provenance (SPEC §5: every change on someone's behalf has one).</summary>
internal static class WorkflowWrites
{
    /// <summary>The current Tasks matching <paramref name="query"/> (e.g. <c>focus=ServiceRequest/1</c>), whoever owns them.</summary>
    public static async Task<List<FhirTask>> TasksAsync(ResourceWriter gateway, string query, CancellationToken ct)
    {
        var tasks = new List<FhirTask>();
        foreach (var id in await gateway.FindIdsAsync(SearchQuery.Parse("Task", query), 1000, ct))
        {
            if ((await gateway.ReadCurrentAsync("Task", id, ct))?.Resource is FhirTask task)
            {
                tasks.Add(task);
            }
        }

        return tasks;
    }

    /// <summary>
    /// Whether no Task can match a lookup naming <paramref name="reference"/> (<c>Patient/…</c>,
    /// <c>ServiceRequest/…</c>): this transaction created it under an id assigned here, so no Task
    /// stored before names it and none of another transaction can before this one commits, and this
    /// transaction has written no Task yet. Then the lookup, and its planning, can be spared.
    /// </summary>
    public static bool NoTaskCanName(ResourceWriter gateway, string reference) =>
        gateway.CreatedUnderNewIdHere(reference) && !gateway.Changes.Any(c => c.Current is FhirTask);

    public static async Task<StoredResource> CreateAsync(ResourceWriter gateway, Resource resource, string what, ResourceChange cause, CancellationToken ct)
    {
        var stored = await gateway.CreateAsync(resource, ct);
        await RecordAsync(gateway, stored, created: true, what, cause, ct);
        return stored;
    }

    public static async Task<StoredResource> UpdateAsync(ResourceWriter gateway, Resource resource, string what, ResourceChange cause, CancellationToken ct)
    {
        var (stored, _) = await gateway.UpdateAsync(resource, null, ct);
        await RecordAsync(gateway, stored, created: false, what, cause, ct);
        return stored;
    }

    private static Task<StoredResource> RecordAsync(ResourceWriter gateway, StoredResource stored, bool created, string what, ResourceChange cause, CancellationToken ct) =>
        gateway.CreateAsync(ProvenanceBuilder.Build(
            [$"{stored.ResourceType}/{stored.Id}/_history/{stored.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)}"],
            created, what, gateway.OnBehalfOf, [cause.VersionReference], gateway.Now), ct);
}
