using Gateway.Fhir.Access;
using Gateway.Fhir.Errors;
using Hl7.Fhir.Model;
using Npgsql;

namespace Gateway.Fhir.Storage;

/// <summary>The SQL for system, type and instance history: newest first, keyset-paged, one row beyond the page.</summary>
internal static class HistorySql
{
    public static void Build(NpgsqlCommand command, HistoryRequest request, CallingPartner? caller)
    {
        var where = new List<string>();
        if (caller is not null)
        {
            where.Add(PartnerVisibility.Condition(command, caller, "r", request.ResourceType is null ? null : [request.ResourceType]));
        }

        if (request.ResourceType is not null)
        {
            where.Add($"v.resource_type = {Add(command, request.ResourceType)}");
        }

        if (request.Id is not null)
        {
            where.Add($"r.resource_id = {Add(command, request.Id)}");
        }

        if (request.Since is { } since)
        {
            // FHIR R4 http.html#history: _since includes versions created at or after the instant.
            where.Add($"v.last_updated >= {Add(command, since)}");
        }

        if (request.Cursor is not null)
        {
            var cursor = HistoryCursor.TryDecode(request.Cursor)
                ?? throw new FhirException(400, OperationOutcome.IssueType.Invalid, $"The paging cursor '{request.Cursor}' is not one this server issued.", "_cursor");
            where.Add($"(v.last_updated, v.resource_key, v.version) < ({Add(command, cursor.LastUpdated)}, {Add(command, cursor.ResourceKey)}, {Add(command, cursor.Version)})");
        }

        command.CommandText = $"""
            select r.resource_type, r.resource_id, v.version, v.last_updated, v.method, v.body, v.resource_key
            from resource_version v join resource r on r.resource_key = v.resource_key
            {(where.Count == 0 ? "" : "where " + string.Join(" and ", where))}
            order by v.last_updated desc, v.resource_key desc, v.version desc
            limit {Add(command, request.Count + 1)}
            """;
    }

    private static string Add(NpgsqlCommand command, object value)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = value });
        return "$" + command.Parameters.Count;
    }
}
