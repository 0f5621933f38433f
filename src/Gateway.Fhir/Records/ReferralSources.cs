using System.Text.Json;
using Gateway.Fhir.Search.Sql;
using Npgsql;

namespace Gateway.Fhir.Records;

/// <summary>
/// What a set of Tasks maps from, in the statement that finds the Tasks: each Task's
/// ServiceRequest (its focus), the Consents <c>consent_windows</c> (Access/Audience.sql, the
/// access model's own rule) finds naming the partner for its patient, and that patient when there
/// are any. The feed's page and the delivery job's single Task share it, so both read the same.
/// Bodies come back as jsonb and are read with System.Text.Json, never as POCOs.
/// </summary>
internal static class ReferralSources
{
    /// <summary>
    /// <paramref name="tasks"/> is a query giving <c>(n, body, …)</c>, one row per Task in the
    /// order wanted; the statement gives those columns, then the request, the consents (a jsonb
    /// array, oldest key first) and the patient.
    /// </summary>
    public static string Select(NpgsqlCommand command, string tasks, string partnerId)
    {
        var partner = command.Bind(partnerId);
        // Only "Type/id" references, as the Tasks' own readers take them (OutboundReferrals.IdOf).
        return $"""
            with tasks as ({tasks})
            select t.*, sr.body, cs.bodies, pt.body
            from tasks t
            left join lateral (
                select v.body from resource r join resource_version v on v.resource_key = r.resource_key and v.version = r.version
                where r.resource_type = 'ServiceRequest' and not r.is_deleted
                  and r.resource_id = substring(t.body->'focus'->>'reference' from '^ServiceRequest/([^/]*)$')
            ) sr on true
            left join lateral (
                select jsonb_agg(v.body order by r.resource_key) as bodies
                from (select distinct c.consent_key from consent_windows(substring(t.body->'for'->>'reference' from '^Patient/([^/]*)$')) c
                      where c.partner_id = {partner}) c
                join resource r on r.resource_key = c.consent_key and not r.is_deleted
                join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            ) cs on true
            left join lateral (
                select v.body from resource r join resource_version v on v.resource_key = r.resource_key and v.version = r.version
                where cs.bodies is not null and r.resource_type = 'Patient' and not r.is_deleted
                  and r.resource_id = substring(t.body->'for'->>'reference' from '^Patient/([^/]*)$')
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
