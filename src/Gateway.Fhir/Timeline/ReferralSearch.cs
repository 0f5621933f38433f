using Gateway.Fhir.Serialization;
using Gateway.Fhir.Workflow;
using Npgsql;
using NpgsqlTypes;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Timeline;

/// <summary>A referral as the console lists it: its Task's state, owner and when it last changed.</summary>
public sealed record ReferralSummary(string TaskId, string? ReferralNumber, string Status, string? BusinessStatus, string? Owner, string? ServiceRequest, DateTimeOffset LastUpdated);

/// <summary>
/// Finds referral Tasks for operators: by Task id or referral number, by the GP's ServiceRequest
/// (id or identifier), or by the patient's NHS number / BSN; narrowed by Task status and owner.
/// Newest change first.
/// </summary>
public sealed class ReferralSearch(NpgsqlDataSource db)
{
    public const int Limit = 50;

    public async Task<IReadOnlyList<ReferralSummary>> FindAsync(string? text, string? status, string? owner, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            with requests as (
                select resource_id from resource where $1::text is not null and resource_type = 'ServiceRequest' and resource_id = $1
                union
                select r.resource_id from search_token t join resource r on r.resource_key = t.resource_key
                where t.resource_type = 'ServiceRequest' and t.param = 'identifier' and t.code = $1
                union
                select r.resource_id from search_token pt
                join resource p on p.resource_key = pt.resource_key
                join search_reference s on s.resource_type = 'ServiceRequest' and s.param = 'subject' and s.target_type = 'Patient' and s.target_id = p.resource_id
                join resource r on r.resource_key = s.resource_key
                where pt.resource_type = 'Patient' and pt.param = 'identifier' and pt.code = $1
            )
            select r.resource_id, r.last_updated, v.body::text
            from resource r join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            where r.resource_type = 'Task' and not r.is_deleted
              and ($1::text is null or r.resource_id = $1
                   or exists (select 1 from search_token t where t.resource_key = r.resource_key and t.param = 'identifier' and t.code = $1)
                   or exists (select 1 from search_reference s join requests q on q.resource_id = s.target_id
                              where s.resource_key = r.resource_key and s.param = 'focus' and s.target_type = 'ServiceRequest'))
              and ($2::text is null or exists (select 1 from search_token t where t.resource_key = r.resource_key and t.param = 'status' and t.code = $2))
              and ($3::text is null or exists (select 1 from search_reference s where s.resource_key = r.resource_key and s.param = 'owner' and s.target_id = $3))
            order by r.last_updated desc, r.resource_key desc
            limit $4
            """);
        command.Parameters.Add(new() { Value = Blank(text), NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = Blank(status), NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = Blank(owner), NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = Limit });
        var found = new List<ReferralSummary>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (FhirSerialization.FromStoredJson(reader.GetString(2)) is FhirTask task)
            {
                found.Add(new ReferralSummary(reader.GetString(0),
                    task.Identifier.FirstOrDefault(i => i.System == ReferralTask.ReferralNumberSystem)?.Value,
                    task.Status is { } s ? Hl7.Fhir.Utility.EnumUtility.GetLiteral(s) ?? s.ToString() : "unknown",
                    task.BusinessStatus?.Coding.FirstOrDefault()?.Code ?? task.BusinessStatus?.Text,
                    task.Owner?.Reference, task.Focus?.Reference, reader.GetFieldValue<DateTimeOffset>(1)));
            }
        }

        return found;
    }

    private static object Blank(string? value) => string.IsNullOrWhiteSpace(value) ? DBNull.Value : value.Trim();
}
