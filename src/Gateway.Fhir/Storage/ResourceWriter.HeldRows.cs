using Gateway.Fhir.Access;
using Gateway.Fhir.Serialization;
using Hl7.Fhir.Model;
using Npgsql;

namespace Gateway.Fhir.Storage;

/// <summary>
/// Current rows and versions a chunk of records (issue 18) reads and locks for all its records at
/// once, instead of each record's write locking and reading its own: later updates of these
/// resources, and reads of their current version, inside this transaction are answered from here,
/// and every write or delete in the transaction keeps it true (or drops what it can no longer vouch
/// for). Resources only read, not locked, serve reads; a write locks them in the store as usual
/// and reads them again.
/// </summary>
public sealed partial class ResourceWriter
{
    /// <summary>
    /// Locks the current rows of <paramref name="ids"/> in one statement (in key order, so two
    /// chunks wait for each other instead of deadlocking), with whether this writer's caller may see
    /// and change each, then reads the versions the lock answered in a second statement (the lock
    /// answers a row as a write that held it committed it, as <see cref="LockCurrentRow"/>).
    /// </summary>
    /// <returns>The current versions of those found and not deleted (shared with the holder: not to be changed).</returns>
    internal async Task<IReadOnlyCollection<StoredResource>> HoldForUpdateAsync(string type, IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var rows = new Dictionary<string, CurrentRow>(ids.Count, StringComparer.Ordinal);
        await SettleForPartnerReadAsync(ct);
        await using (var command = Command())
        {
            command.Parameters.Add(new() { Value = type });
            command.Parameters.Add(new() { Value = ids.ToArray() });
            command.CommandText = $"""
                select r.resource_id, r.resource_key, r.version, r.is_deleted, r.last_updated,
                       {PartnerVisibility.Condition(command, Caller, "r", [type])}, {PartnerVisibility.WriteCondition(command, Caller, "r", [type])}
                from resource r where r.resource_type = $1 and r.resource_id = any($2) order by r.resource_key for update
                """;
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows[reader.GetString(0)] = new CurrentRow(reader.GetInt64(1), reader.GetInt32(2), reader.GetBoolean(3), reader.GetFieldValue<DateTimeOffset>(4), reader.GetBoolean(5), reader.GetBoolean(6));
            }
        }

        var current = await ReadLockedVersionsAsync(type, rows, ct);
        foreach (var (id, row) in rows)
        {
            _held.Rows[(type, id)] = new HeldRow(row, Caller, current.GetValueOrDefault((type, id)));
        }

        return current.Values;
    }

    /// <summary>Reads the current versions of <paramref name="references"/> (type, id) in one statement, to answer this transaction's later reads of them.</summary>
    internal async System.Threading.Tasks.Task HoldForReadAsync(IReadOnlyCollection<(string Type, string Id)> references, CancellationToken ct)
    {
        var wanted = references.Where(r => !_held.Rows.ContainsKey(r)).Distinct().ToList();
        foreach (var (reference, stored) in await ReadCurrentManyAsync(wanted, ct))
        {
            _held.Rows[reference] = new HeldRow(null, null, stored);
        }
    }

    // The versions the lock found, by key and version: the lock already looked each id up, and
    // under the lock the version it answered is the current one (issue 18, seventh pass: one
    // index probe a row less than looking the ids up again).
    private async Task<Dictionary<(string, string), StoredResource>> ReadLockedVersionsAsync(string type, Dictionary<string, CurrentRow> rows, CancellationToken ct)
    {
        var found = new Dictionary<(string, string), StoredResource>();
        var live = rows.Where(r => !r.Value.IsDeleted).ToList();
        if (live.Count == 0)
        {
            return found;
        }

        await using var command = Command();
        command.CommandText = """
            select n.resource_id, v.version, v.last_updated, v.body
            from unnest($1::text[], $2::bigint[], $3::int[]) n(resource_id, resource_key, version)
            join resource_version v on v.resource_key = n.resource_key and v.version = n.version
            """;
        command.Parameters.Add(new() { Value = live.Select(r => r.Key).ToArray() });
        command.Parameters.Add(new() { Value = live.Select(r => r.Value.Key).ToArray() });
        command.Parameters.Add(new() { Value = live.Select(r => r.Value.Version).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetString(0);
            // Parsed when first asked for: a ServiceRequest held for a follow-up that may not come often is not (issue 18, eighth pass).
            found[(type, id)] = StoredResource.FromJson(type, id, reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<byte[]>(3));
        }

        return found;
    }

    /// <summary>
    /// The current versions of (type, id) pairs ($1 the types, $2 the ids), each looked up by itself
    /// (the lateral subquery, kept apart by offset 0): joined as a whole, the planner guessed a few
    /// matches for a chunk's 500 pairs and hashed the whole resource table for them, a chunk's read
    /// growing with the store (issue 18, thirteenth pass: 130-350 ms on 68,000 resources, against
    /// 3-23 ms as index probes).
    /// </summary>
    internal const string CurrentVersionsQuery = """
        select n.resource_type, n.resource_id, m.version, m.last_updated, m.body
        from unnest($1::text[], $2::text[]) n(resource_type, resource_id)
        cross join lateral (
            select v.version, v.last_updated, v.body
            from resource r
            join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            where r.resource_type = n.resource_type and r.resource_id = n.resource_id and not r.is_deleted
            offset 0) m
        """;

    private async Task<Dictionary<(string, string), StoredResource>> ReadCurrentManyAsync(List<(string Type, string Id)> references, CancellationToken ct)
    {
        var found = new Dictionary<(string, string), StoredResource>();
        if (references.Count == 0)
        {
            return found;
        }

        await using var command = Command();
        command.CommandText = CurrentVersionsQuery;
        command.Parameters.Add(new() { Value = references.Select(r => r.Type).ToArray() });
        command.Parameters.Add(new() { Value = references.Select(r => r.Id).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var (type, id) = (reader.GetString(0), reader.GetString(1));
            found[(type, id)] = StoredResource.FromJson(type, id, reader.GetInt32(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<byte[]>(4));
        }

        return found;
    }

    // The row locked for this writer's caller (its visibility flags are the caller's), if held.
    private CurrentRow? HeldLock(string type, string id)
    {
        if (_held.Rows.TryGetValue((type, id), out var held))
        {
            if (held.Lock is not null && ReferenceEquals(held.LockedFor, Caller))
            {
                return held.Lock;
            }

            if (held.Lock is null)
            {
                // Read but not locked: what was read may be older than what the lock will find.
                _held.Rows.Remove((type, id));
            }
        }

        return null;
    }

    // The stored JSON of the held row's version, when it is the one this caller's lock answered
    // and still the current one (nothing written to it since): what ReferenceRules reads back.
    private byte[]? HeldStoredJson(long key, Resource resource, int version) =>
        _held.Rows.TryGetValue((resource.TypeName, resource.Id!), out var held)
        && held.Lock is { } locked && locked.Key == key && locked.Version == version && ReferenceEquals(held.LockedFor, Caller)
        && held.Current is { Version: var current, Utf8Json: { } json } && current == version
            ? json
            : null;

    // A copy, so what the caller changes is not what the next read is answered with: the caller's
    // own parse of the stored JSON while nobody parsed the held one, else a deep copy of it.
    private StoredResource? HeldCurrent(string type, string id, out bool isHeld)
    {
        isHeld = _held.Rows.TryGetValue((type, id), out var held);
        return held?.Current switch
        {
            null => null,
            { IsParsed: false, Utf8Json: { } json } current => StoredResource.FromJson(current.ResourceType, current.Id, current.Version, current.LastUpdated, json),
            var current => current with { Resource = (Resource)current.Resource!.DeepCopy() },
        };
    }

    // The held version itself, for a reader that never changes it: the version its lock answered, as
    // HoldForUpdateAsync and HeldWritten keep the two together.
    private static Resource? HeldToLookAt(HeldRow held) => held.Current?.Resource;

    // The written instance itself, not a copy (issue 18, tenth pass: a copy of every version a chunk
    // wrote to a held row was 5 % of a wor-export send's gateway CPU): ResourceChange.Current shares it
    // already, and no writer changes a resource it has written (the record applier copies a step's
    // version before the next step changes it, the workflow changes what it read before writing it).
    // Readers that change what they read get a copy from HeldCurrent.
    private void HeldWritten(long key, Resource resource, int version, bool audienceChanged)
    {
        var reference = (resource.TypeName, resource.Id!);
        if (!_held.Rows.TryGetValue(reference, out var held))
        {
            return;
        }

        if (held.Lock is null || held.Lock.Key != key || audienceChanged)
        {
            // Who may see and change it may have changed with this version: read again when next asked.
            _held.Rows.Remove(reference);
            return;
        }

        _held.Rows[reference] = held with
        {
            Lock = held.Lock with { Version = version, IsDeleted = false, LastUpdated = Now },
            Current = new StoredResource(resource.TypeName, resource.Id!, version, Now, resource),
        };
    }

    private void HeldDeleted(string type, string id) => _held.Rows.Remove((type, id));

    private sealed record HeldRow(CurrentRow? Lock, CallingPartner? LockedFor, StoredResource? Current);

    private sealed class HeldRows
    {
        public Dictionary<(string Type, string Id), HeldRow> Rows { get; } = [];
    }
}
