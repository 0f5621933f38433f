using Gateway.Fhir.Access;
using Gateway.Fhir.Serialization;
using Gateway.Fhir.Storage;
using Npgsql;

namespace Gateway.Fhir.Records;

/// <summary>
/// The outcome measures (QuestionnaireResponses based on the referral) of every referral a chunk's
/// Tasks focus on, locked and read in one round trip with the chunk's other reads (issue 18),
/// instead of a lock and a search for each record that reports measures. The chunk keeps them up
/// to date as its records store measures, so a second record of one referral finds what the first
/// stored, as the search would have after the first was written.
/// </summary>
public sealed class ChunkMeasurements
{
    private readonly Dictionary<string, List<StoredResource>> _byRequest = new(StringComparer.Ordinal);

    /// <summary>
    /// Takes the measurement lock of each referral (<see cref="Measurements.LockKey"/>, in one
    /// statement, in a fixed order so two chunks wait for each other rather than deadlock), then, in
    /// a statement of its own after the locks (so it sees what a writer that held one committed),
    /// reads the referrals' measures the partner may see, in key order as the search returns them.
    /// </summary>
    public async Task LoadAsync(ResourceWriter writer, IReadOnlyCollection<string> requestIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (requestIds.Count == 0)
        {
            return;
        }

        var ordered = requestIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var locks = new NpgsqlBatchCommand("select count(pg_advisory_xact_lock(hashtextextended(k, 0))) from unnest($1::text[]) k");
        locks.Parameters.Add(new() { Value = ordered.Select(Measurements.LockKey).ToArray() });
        await using var query = Query(ordered, writer.Caller);
        foreach (var id in ordered)
        {
            _byRequest[id] = [];
        }

        foreach (var (requestId, stored) in await writer.CustomPlannedAsync(query, locks, reader =>
            (reader.GetString(0), new StoredResource("QuestionnaireResponse", reader.GetString(1), reader.GetInt32(2), reader.GetFieldValue<DateTimeOffset>(3),
                FhirSerialization.FromStoredJson(reader.GetFieldValue<byte[]>(4)))), ct))
        {
            var measures = _byRequest[requestId];
            if (!measures.Exists(m => m.Id == stored.Id))
            {
                measures.Add(stored);
            }
        }
    }

    /// <summary>
    /// The measures the caller may see of each referral, in key order as the search returns them.
    /// Each referral is its own probe of <c>search_reference_lookup</c> (a lateral subquery kept
    /// apart by <c>offset 0</c>, as <see cref="ChunkReferrals"/>' lookup): joined as a whole, a
    /// store whose statistics were taken before it held any measure (a new store's first large
    /// file) had the referrals' ids applied as a filter over every measure's based-on row, a read
    /// that grew with each chunk (issue 18, sixteenth pass).
    /// </summary>
    internal static NpgsqlCommand Query(string[] requestIds, CallingPartner? caller)
    {
        var query = new NpgsqlCommand();
        query.Parameters.Add(new() { Value = requestIds });
        query.CommandText = $"""
            select n.request_id, m.resource_id, m.version, m.last_updated, m.body
            from unnest($1::text[]) n(request_id)
            cross join lateral (
                select r.resource_key, r.resource_id, v.version, v.last_updated, v.body
                from search_reference b
                join resource r on r.resource_key = b.resource_key and not r.is_deleted
                join resource_version v on v.resource_key = r.resource_key and v.version = r.version
                where b.resource_type = 'QuestionnaireResponse' and b.param = 'based-on' and b.target_type = 'ServiceRequest' and b.target_id = n.request_id
                  and {PartnerVisibility.Condition(query, caller, "r", ["QuestionnaireResponse"])}
                offset 0) m
            order by m.resource_key
            """;
        return query;
    }

    /// <summary>The referral's measures, locked, read and kept up to date by the chunk; null when the chunk did not load them (the search's way).</summary>
    public IReadOnlyList<StoredResource>? Of(string requestId) => _byRequest.GetValueOrDefault(requestId);

    /// <summary>A measure of the referral the chunk created or updated: found by the records after it.</summary>
    public void Stored(string requestId, StoredResource stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (!_byRequest.TryGetValue(requestId, out var measures))
        {
            return;
        }

        var index = measures.FindIndex(m => m.Id == stored.Id);
        if (index >= 0)
        {
            measures[index] = stored;
        }
        else
        {
            measures.Add(stored);
        }
    }
}
