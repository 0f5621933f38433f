using System.Text.Json;
using Gateway.Fhir.Search.Sql;
using Npgsql;

namespace Gateway.Fhir.Records;

/// <summary>
/// What a set of Tasks maps from, in the statement that finds the Tasks: each Task's
/// ServiceRequest (its focus), the Consents <c>consent_windows_for</c> (Access/Audience.sql, the
/// access model's own rule) finds naming the partner for its patient and in force now, and that
/// patient when there are any. The feed's page and the delivery job's single Task share it, so both read the same.
/// Bodies come back as jsonb and are read with System.Text.Json, never as POCOs.
/// </summary>
internal static class ReferralSources
{
    /// <summary>
    /// <paramref name="tasks"/> is a query giving <c>(n, body, …)</c>, one row per Task in the
    /// order wanted; the statement gives those columns, then the request, the consents in force at
    /// <paramref name="now"/> (a jsonb array, oldest key first) and the patient.
    /// </summary>
    public static string Select(NpgsqlCommand command, string tasks, string partnerId, DateTimeOffset now)
    {
        var partner = command.Bind(partnerId);
        // The gateway's clock, not now(): the feed has always judged a Consent's period by it (tests move it).
        var at = command.Bind(now);
        // Only "Type/id" references, as the Tasks' own readers take them (OutboundReferrals.IdOf).
        const string patientOf = "substring(t.body->'for'->>'reference' from '^Patient/([^/]*)$')";
        // consent_windows_for once for all the page's patients: a call per Task was most of the rule's cost.
        return $"""
            with tasks as ({tasks}),
            consents as (
                select c.patient_id, jsonb_agg(v.body order by r.resource_key) as bodies
                from (select distinct c.patient_id, c.consent_key
                      from consent_windows_for(array(select distinct {patientOf} from tasks t)) c
                      where c.partner_id = {partner} and c.valid_from <= {at} and c.valid_until > {at}) c
                join resource r on r.resource_key = c.consent_key and not r.is_deleted
                join resource_version v on v.resource_key = r.resource_key and v.version = r.version
                group by c.patient_id
            )
            select t.*, sr.body, cs.bodies, pt.body
            from tasks t
            left join lateral (
                select v.body from resource r join resource_version v on v.resource_key = r.resource_key and v.version = r.version
                where r.resource_type = 'ServiceRequest' and not r.is_deleted
                  and r.resource_id = substring(t.body->'focus'->>'reference' from '^ServiceRequest/([^/]*)$')
            ) sr on true
            left join consents cs on cs.patient_id = {patientOf}
            left join lateral (
                select v.body from resource r join resource_version v on v.resource_key = r.resource_key and v.version = r.version
                where cs.bodies is not null and r.resource_type = 'Patient' and not r.is_deleted
                  and r.resource_id = cs.patient_id
            ) pt on true
            order by t.n
            """;
    }

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
