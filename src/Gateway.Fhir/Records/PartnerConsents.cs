using Gateway.Fhir.Serialization;
using Hl7.Fhir.Model;
using Npgsql;

namespace Gateway.Fhir.Records;

/// <summary>
/// The active Consents of many patients that name one partner as actor, in one query (the feed
/// maps a page of Tasks at once): those <c>consent_windows</c> (Access/Audience.sql) finds, whatever
/// their period, which the caller checks against its clock.
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
        // consent_windows is the access model's own rule (Access/Audience.sql): the feed shows the Consents it counts.
        command.CommandText = """
            select v.body
            from (select distinct c.consent_key from unnest($1::text[]) p(id) cross join lateral consent_windows(p.id) c where c.partner_id = $2) c
            join resource r on r.resource_key = c.consent_key and not r.is_deleted
            join resource_version v on v.resource_key = r.resource_key and v.version = r.version
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
