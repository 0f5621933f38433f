using Hl7.Fhir.Model;

namespace Gateway.Fhir.Conformance;

/// <summary>
/// How the CapabilityStatement tells Bulk Data $export (docs/guide-evaluators.md): the operation
/// at system level, Group with only its $export (Groups are not stored, so no other interaction),
/// and the Bulk Data IG's CapabilityStatement in instantiates.
/// </summary>
internal static class BulkExport
{
    public const string Capability = "http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data";

    public static void Describe(CapabilityStatement statement, CapabilityStatement.RestComponent rest, IReadOnlyCollection<SupportedOperation> operations)
    {
        var system = operations.Where(o => o.IsSystemLevel).OrderBy(o => o.Name, StringComparer.Ordinal).ToList();
        rest.Operation = system.Select(o => new CapabilityStatement.OperationComponent { Name = o.Name, Definition = o.Definition }).ToList();
        if (system.Any(o => o.Name == "export"))
        {
            statement.InstantiatesElement = [new Canonical(Capability)];
        }

        foreach (var group in operations.Where(o => o.ResourceType == "Group").GroupBy(o => o.ResourceType!))
        {
            rest.Resource.Add(new CapabilityStatement.ResourceComponent
            {
                Type = group.Key,
                Documentation = "Group/{id}/$export for evaluator clients: a Group is a referring partner (its Organization id), its members the patients that partner referred. "
                    + "Groups are not stored: read and search are not offered.",
                Operation = group.Select(o => new CapabilityStatement.OperationComponent { Name = o.Name, Definition = o.Definition }).ToList(),
            });
        }
    }
}
