using Gateway.Fhir.Serialization;
using Gateway.Fhir.Workflow;
using Npgsql;
using NpgsqlTypes;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Timeline;

/// <summary>
/// A referral as the console lists it: its Task's state, owner and when it last changed, the GP's
/// own referral id (the ServiceRequest's identifier, e.g. SP-DEMO-0001) and the patient's name.
/// </summary>
public sealed record ReferralSummary(string TaskId, string? ReferralNumber, string Status, string? BusinessStatus, string? Owner, string? ServiceRequest, DateTimeOffset LastUpdated)
{
    public string? GpReferralId { get; init; }

    public string? PatientName { get; init; }
}

/// <summary>
/// Finds referral Tasks for operators: by Task id or referral number, by the GP's ServiceRequest
/// (id or identifier), or by the patient's NHS number / BSN; narrowed by Task status (one, or
/// several comma-separated), owner and SLA breach (<see cref="Overview.ConsoleOverview.SlaBreaches"/>,
/// or <c>any</c>). Newest change first.
/// </summary>
public sealed class ReferralSearch(NpgsqlDataSource db)
{
    public const int Limit = 50;

    public async Task<IReadOnlyList<ReferralSummary>> FindAsync(string? text, string? status, string? owner, CancellationToken ct, string? sla = null)
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
            select r.resource_id, r.last_updated, v.body::text, gp.identifier, gp.patient_name::text
            from resource r join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            left join lateral (
                select (select i ->> 'value' from json_array_elements(srv.body -> 'identifier') i limit 1) as identifier,
                       (select pv.body -> 'name' -> 0 from search_reference ps
                        join resource p on p.resource_type = 'Patient' and p.resource_id = ps.target_id and not p.is_deleted
                        join resource_version pv on pv.resource_key = p.resource_key and pv.version = p.version
                        where ps.resource_key = sr.resource_key and ps.param = 'subject' and ps.target_type = 'Patient' limit 1) as patient_name
                from search_reference f
                join resource sr on sr.resource_type = 'ServiceRequest' and sr.resource_id = f.target_id
                join resource_version srv on srv.resource_key = sr.resource_key and srv.version = sr.version
                where f.resource_key = r.resource_key and f.param = 'focus' and f.target_type = 'ServiceRequest'
                limit 1
            ) gp on true
            where r.resource_type = 'Task' and not r.is_deleted
              and ($1::text is null or r.resource_id = $1
                   or exists (select 1 from search_token t where t.resource_key = r.resource_key and t.param = 'identifier' and t.code = $1)
                   or exists (select 1 from search_reference s join requests q on q.resource_id = s.target_id
                              where s.resource_key = r.resource_key and s.param = 'focus' and s.target_type = 'ServiceRequest'))
              and ($2::text[] is null or exists (select 1 from search_token t where t.resource_key = r.resource_key and t.param = 'status' and t.code = any($2)))
              and ($3::text is null or exists (select 1 from search_reference s where s.resource_key = r.resource_key and s.param = 'owner' and s.target_id = $3))
              and ($5::text is null
                   or exists (select 1 from search_token t where t.resource_key = r.resource_key and t.param = 'business-status'
                              and t.code = $6 and ($5 = 'any' or $5 = $6))
                   or exists (select 1 from json_array_elements(v.body -> 'meta' -> 'tag') tag
                              where tag ->> 'system' = $7 and tag ->> 'code' = any($8) and ($5 = 'any' or $5 = tag ->> 'code')))
            order by r.last_updated desc, r.resource_key desc
            limit $4
            """);
        command.Parameters.Add(new() { Value = Blank(text), NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = Statuses(status), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = Blank(owner), NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = Limit });
        command.Parameters.Add(new() { Value = Blank(sla), NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = Overview.ConsoleOverview.AcceptanceOverdue, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = Overview.ConsoleOverview.FlagSystem, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = new[] { Overview.ConsoleOverview.UpdateOverdue, Overview.ConsoleOverview.RemeasureDue }, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
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
                    task.Owner?.Reference, task.Focus?.Reference, reader.GetFieldValue<DateTimeOffset>(1))
                {
                    GpReferralId = reader.IsDBNull(3) ? null : reader.GetString(3),
                    PatientName = reader.IsDBNull(4) ? null : PatientNames.Display(reader.GetString(4)),
                });
            }
        }

        return found;
    }

    private static object Blank(string? value) => string.IsNullOrWhiteSpace(value) ? DBNull.Value : value.Trim();

    private static object Statuses(string? value) =>
        value?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } statuses ? statuses : DBNull.Value;
}
