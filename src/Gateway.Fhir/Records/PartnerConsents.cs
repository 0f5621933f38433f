using Gateway.Fhir.Serialization;
using Hl7.Fhir.Model;
using Npgsql;

namespace Gateway.Fhir.Records;

/// <summary>
/// The active Consents of many patients that name one partner as actor, in one query (the feed
/// maps a page of Tasks at once); the same index rows <c>consent_windows</c> (Access/Audience.sql) reads, without
/// the period, which the caller checks against its clock.
/// </summary>
public sealed class PartnerConsents(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<Consent>> ActiveAsync(IReadOnlyCollection<string> patientIds, string partnerId, CancellationToken ct)
    {
        var consents = new List<Consent>();
        if (patientIds.Count == 0)
        {
            return consents;
        }

        await using var command = dataSource.CreateCommand();
        command.Parameters.Add(new() { Value = patientIds.Distinct(StringComparer.Ordinal).ToArray() });
        command.Parameters.Add(new() { Value = partnerId });
        command.CommandText = """
            select v.body
            from search_reference cp
            join resource r on r.resource_key = cp.resource_key and not r.is_deleted
            join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            where cp.resource_type = 'Consent' and cp.param = 'patient' and cp.target_type = 'Patient' and cp.target_id = any($1)
              and exists (select 1 from search_reference ca where ca.resource_key = cp.resource_key and ca.param = 'actor'
                          and ca.target_type = 'Organization' and ca.target_id = $2)
              and exists (select 1 from search_token cs where cs.resource_key = cp.resource_key and cs.param = 'status' and cs.code = 'active')
            order by r.resource_key
            """;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            consents.Add((Consent)FhirSerialization.FromStoredJson(reader.GetString(0)));
        }

        return consents;
    }
}
