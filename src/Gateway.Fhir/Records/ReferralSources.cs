using System.Text.Json;
using Gateway.Fhir.Search.Sql;
using Npgsql;

namespace Gateway.Fhir.Records;

/// <summary>
/// What a set of Tasks maps from, in the statement that finds the Tasks: each Task's
/// ServiceRequest (its focus), the Consents <c>consent_windows_for</c> (Access/Audience.sql, the
/// access model's own rule) finds naming the partner for its patient and in force now, and that
/// patient when there are any. The feed's page and the delivery job's single Task share it, so both read the same.
/// Bodies come back as json and are read with System.Text.Json, never as POCOs.
/// </summary>
internal static class ReferralSources
{
    /// <summary>
    /// <paramref name="tasks"/> is a query giving <c>(n, body, …, request_id, patient_id)</c>, one
    /// row per Task in the order wanted, <c>n</c> unique, <c>body</c> json and the last two the ids
    /// its focus and <c>for</c> name (<c>task_references</c>, migration 0051); the statement gives
    /// those columns, then the request, the consents in force at <paramref name="now"/> (a json
    /// array, oldest key first) and the patient.
    /// </summary>
    public static string Select(NpgsqlCommand command, string tasks, string partnerId, DateTimeOffset now)
    {
        var partner = command.Bind(partnerId);
        // The gateway's clock, not now(): the feed has always judged a Consent's period by it (tests move it).
        var at = command.Bind(now);
        // Bodies are json (text): each -> parses the whole body, so a Task's references come with
        // it, read once on write (task_feed, migration 0051) or by OneTask. consent_windows_for is
        // asked once for all the page's patients (a call per Task was 45 µs each), each patient's
        // Consents and body then found once however many of the page's Tasks are about them.
        // json_agg, not jsonb_agg: the Consents go out as stored, not parsed into jsonb and written out again.
        return $"""
            with tasks as ({tasks}),
            consents as (
                select c.patient_id, json_agg(v.body order by r.resource_key) as bodies
                from (select distinct c.patient_id, c.consent_key
                      from consent_windows_for(array(select distinct x.patient_id from tasks x)) c
                      where c.partner_id = {partner} and c.valid_from <= {at} and c.valid_until > {at}) c
                join resource r on r.resource_key = c.consent_key and not r.is_deleted
                join resource_version v on v.resource_key = r.resource_key and v.version = r.version
                group by c.patient_id
            ),
            patients as (
                select cs.patient_id, cs.bodies, pt.body
                from consents cs
                left join lateral (
                    select v.body from resource r join resource_version v on v.resource_key = r.resource_key and v.version = r.version
                    where r.resource_type = 'Patient' and not r.is_deleted and r.resource_id = cs.patient_id
                ) pt on true
            )
            select t.*, sr.body, p.bodies, p.body
            from tasks t
            left join lateral (
                select v.body from resource r join resource_version v on v.resource_key = r.resource_key and v.version = r.version
                where r.resource_type = 'ServiceRequest' and not r.is_deleted and r.resource_id = t.request_id
            ) sr on true
            left join patients p on p.patient_id = t.patient_id
            order by t.n
            """;
    }

    /// <summary>One Task given as json text (<paramref name="taskJson"/>, bound) as <see cref="Select"/>'s <c>tasks</c>, its references read as the feed's rows keep them.</summary>
    public static string OneTask(NpgsqlCommand command, string taskJson) =>
        $"select 1 as n, t.body, x.request_id, x.patient_id from (select {command.Bind(taskJson)}::json as body) t, task_references(t.body) x";

    /// <summary>One row of <see cref="Select"/>, its first column at <paramref name="body"/>; dispose it once mapped.</summary>
    public sealed class Row(JsonDocument task, JsonDocument? request, JsonDocument? consents, JsonDocument? patient) : IDisposable
    {
        public JsonElement Task => task.RootElement;

        public JsonElement? Request => request?.RootElement;

        public IEnumerable<JsonElement> Consents => consents is null ? [] : consents.RootElement.EnumerateArray();

        public JsonElement? Patient => patient?.RootElement;

        public static Row Read(NpgsqlDataReader reader, int body)
        {
            var columns = reader.FieldCount;
            return new Row(reader.GetFieldValue<JsonDocument>(body),
                Optional(reader, columns - 3), Optional(reader, columns - 2), Optional(reader, columns - 1));
        }

        private static JsonDocument? Optional(NpgsqlDataReader reader, int column) =>
            reader.IsDBNull(column) ? null : reader.GetFieldValue<JsonDocument>(column);

        public void Dispose()
        {
            task.Dispose();
            request?.Dispose();
            consents?.Dispose();
            patient?.Dispose();
        }
    }
}
