using Gateway.Fhir.Access;
using Gateway.Fhir.Search.Sql;
using Npgsql;

namespace Gateway.Fhir.Export;

/// <summary>
/// The query an export runs for one resource type, as the evaluator
/// (<see cref="PartnerVisibility.ExportCondition"/>): current versions, changed after
/// <c>_since</c>, of the Group's patients when it is a Group export; rows come one at a time.
/// </summary>
public static class ExportReader
{
    public static NpgsqlCommand Command(NpgsqlConnection connection, CallingPartner evaluator, string resourceType, DateTimeOffset? since, string? groupId)
    {
        var command = new NpgsqlCommand { Connection = connection };
        var where = new List<string>
        {
            $"r.resource_type = {command.Bind(resourceType)}",
            PartnerVisibility.ExportCondition(command, evaluator, "r"),
        };
        if (since is { } after)
        {
            // Bulk Data IG: resources whose state changed after _since.
            where.Add($"r.last_updated > {command.Bind(after)}");
        }

        if (groupId is not null)
        {
            where.Add(GroupCondition(command, resourceType, groupId));
        }

        command.CommandText = $"""
            select v.body::text
            from resource r join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            where {string.Join(" and ", where)}
            order by r.resource_key
            """;
        return command;
    }

    // Group/{partner id}: the patients that partner referred, the subjects of the ServiceRequests it requested (docs/guide-evaluators.md).
    private static string GroupCondition(NpgsqlCommand command, string resourceType, string groupId)
    {
        var members = $"""
            select s.target_id from search_reference s
            join search_reference q on q.resource_key = s.resource_key and q.param = 'requester' and q.target_type = 'Organization' and q.target_id = {command.Bind(groupId)}
            where s.resource_type = 'ServiceRequest' and s.param = 'subject' and s.target_type = 'Patient'
            """;
        return resourceType == "Patient"
            ? $"r.resource_id in ({members})"
            : $"""
              exists (select 1 from search_reference x where x.resource_key = r.resource_key and x.target_type = 'Patient'
                      and x.param in ('patient', 'subject') and x.target_id in ({members}))
              """;
    }
}
