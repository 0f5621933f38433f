using Gateway.Fhir.Search.Index;
using Gateway.Fhir.Access;
using Gateway.Fhir.Serialization;
using Hl7.Fhir.Model;
using NpgsqlTypes;

namespace Gateway.Fhir.Storage;

/// <summary>
/// What a chunk of records (issue 18) writes for all its records at once instead of one by one,
/// where the caller asks for it (<see cref="DeferChunkWrites"/>):
/// <list type="bullet">
/// <item>The gateway's own new Provenance (500 to 1,000 a chunk, two round trips each): one
/// multi-row insert of their current rows, versions and index rows. Nothing reads them back inside
/// the transaction: the workflow and subscriptions do not watch Provenance, and
/// <see cref="HasProvenanceFor"/> looks at the transaction's changes, which list each at once.</item>
/// <item>A partner's new QuestionnaireResponses (the measures), checked as any write is and then
/// inserted with those Provenance (created by the partner), and the audience of all of them: one
/// refresh for all (a refresh costs about as much for one resource as for dozens). Until then a
/// measure is not in the store, so a search for a referral's measures first writes those pending
/// for that referral (<see cref="SettleAudienceOfAsync"/>).</item>
/// <item>New versions of the Tasks the chunk holds (<see cref="HoldForUpdateAsync"/>) whose audience
/// they do not change (a status move), and the workflow's follow-up versions of the ServiceRequests
/// the chunk holds for the gateway (a referral completing with its Task): one batch for each, every version kept. Until then the
/// held rows answer this transaction's reads of them, and anything that reads them from the store
/// (a search of their type, a read as a partner, a delete, another write) writes them first.</item>
/// </list>
/// Everything is written before the transaction commits, the versions first: the pending audience before the
/// reference checks (they ask what the partner may see), the Provenance after the workflow's
/// follow-ups (which may add more) and before the notifications, which ask what each subscriber may see.
/// </summary>
public sealed partial class ResourceWriter
{
    /// <summary>From now on, this transaction's new Provenance by the gateway and the audience of its new measures are written together before it commits.</summary>
    internal void DeferChunkWrites() => _deferred.Enabled = true;

    /// <summary>Writes now the pending new resources, and audience, of those that point at <paramref name="reference"/> (<c>ServiceRequest/1</c>), before a search as the partner for them.</summary>
    internal async System.Threading.Tasks.Task SettleAudienceOfAsync(string reference, CancellationToken ct)
    {
        if (_deferred.AudiencePointsAt.Contains(reference))
        {
            await FlushDeferredAsync(ct);
        }
    }

    private bool DefersCreate(Resource resource) => _deferred.Enabled
        && ((Caller is null && resource is Provenance) || (Caller is not null && resource is QuestionnaireResponse && !_deferred.Completing));

    // A new measure's audience derives from itself and its referral alone (Audience.sql): nothing else's changes with it.
    private bool DefersAudience(long key, Resource resource, int version)
    {
        if (!_deferred.Enabled || version != 1 || resource is not QuestionnaireResponse response)
        {
            return false;
        }

        _deferred.AudienceKeys.Add(key);
        _deferred.AudiencePointsAt.UnionWith(response.BasedOn.Select(r => r.Reference).OfType<string>());
        return true;
    }

    // What WriteVersion does for a version 1 (its checks made by the caller), kept for the flush.
    private StoredResource DeferCreate(Resource resource)
    {
        resource.Meta ??= new Meta();
        resource.Meta.VersionId = "1";
        resource.Meta.LastUpdated = Now;
        _deferred.Creates.Add((resource.TypeName, resource.Id!, FhirSerialization.ToStoredJson(resource), SearchIndexer.Extract(resource)));
        _deferred.CreatedBy.Add(Caller);
        if (resource is QuestionnaireResponse response)
        {
            _deferred.AudiencePointsAt.UnionWith(response.BasedOn.Select(r => r.Reference).OfType<string>());
        }

        _changes.Add(new ResourceChange(resource.TypeName, resource.Id!, 1, null, resource, OnBehalfOf));
        return new StoredResource(resource.TypeName, resource.Id!, 1, Now, resource);
    }

    private async System.Threading.Tasks.Task FlushDeferredAsync(CancellationToken ct)
    {
        if (_deferred.Creates.Count > 0)
        {
            var keys = new Dictionary<string, long>(_deferred.Creates.Count, StringComparer.Ordinal);
            await using (var insert = IndexSql.InsertMany(_deferred.Creates, Now, [.. _deferred.CreatedBy.Select(c => c?.PartnerId)]))
            {
                insert.Connection = _connection;
                insert.Transaction = _transaction;
                await using var reader = await insert.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    keys[reader.GetString(1)] = reader.GetInt64(0);
                }
            }

            if (keys.Count != _deferred.Creates.Count)
            {
                throw new InvalidOperationException($"{_deferred.Creates.Count} new resources were to be written, but {keys.Count} were.");
            }

            for (var i = 0; i < _deferred.Creates.Count; i++)
            {
                var key = keys[_deferred.Creates[i].Id];
                _deferred.AudienceKeys.Add(key);
                if (_deferred.CreatedBy[i] is { } partner)
                {
                    // Its references are checked with the rest of the partner's writes (ReferenceRules).
                    _partnerWrites.Add((key, 1, partner));
                    _guardedWrites.Add(key, new VersionRows(_deferred.Creates[i].Rows));
                }
            }

            _deferred.Creates.Clear();
            _deferred.CreatedBy.Clear();
        }

        PendDeferredAudience();
    }

    private void PendDeferredAudience()
    {
        if (_deferred.AudienceKeys.Count == 0)
        {
            return;
        }

        // With the transaction's other pending audience: written before the next read as a partner and before commit.
        foreach (var key in _deferred.AudienceKeys)
        {
            _audience.Add(key, []);
        }

        _deferred.AudienceKeys.Clear();
        _deferred.AudiencePointsAt.Clear();
    }

    private bool DefersVersion(long key, Resource resource, int version, string method, byte[] json, VersionRows rows, bool audienceChanges)
    {
        // While completing too: a follow-up's update of a row held for the gateway (a referral completing with its Task).
        if (!_deferred.Enabled || version == 1 || audienceChanges
            || !_held.Rows.TryGetValue((resource.TypeName, resource.Id!), out var held) || held.Lock?.Key != key || !ReferenceEquals(held.LockedFor, Caller))
        {
            return false;
        }

        _deferred.Versions.Add((key, resource.TypeName, version, method, json, rows));
        return true;
    }

    private async System.Threading.Tasks.Task FlushDeferredVersionsAsync(CancellationToken ct)
    {
        if (_deferred.Versions.Count == 0)
        {
            return;
        }

        await using var batch = new Npgsql.NpgsqlBatch(_connection, _transaction);
        IndexSql.AddVersionsMany(batch, _deferred.Versions, Now);
        await batch.ExecuteNonQueryAsync(ct);
        _deferred.Versions.Clear();
    }

    // A search reads the index: pending versions of its type, or of any type when it follows references, are written first.
    private System.Threading.Tasks.Task FlushDeferredVersionsForAsync(Search.SearchCriteria criteria, CancellationToken ct) =>
        _deferred.Versions.Any(v => v.Type == criteria.ResourceType) || (_deferred.Versions.Count > 0 && criteria.Clauses.Any(c => c.Name.Contains('.', StringComparison.Ordinal) || c.Name.StartsWith("_has", StringComparison.Ordinal)))
            ? FlushDeferredVersionsAsync(ct)
            : System.Threading.Tasks.Task.CompletedTask;

    private sealed class Deferred
    {
        public bool Enabled { get; set; }

        // Set once the transaction's own writes are done: the workflow's follow-ups write as usual,
        // but for updates of rows the chunk holds for the gateway (its referrals), flushed after them.
        public bool Completing { get; set; }

        // Each version's rows are extracted at the flush, and only for a resource's newest (IndexSql.AddVersionsMany).
        public List<(long Key, string Type, int Version, string Method, byte[] Body, VersionRows Rows)> Versions { get; } = [];

        public List<(string Type, string Id, byte[] Body, IndexRows Rows)> Creates { get; } = [];

        // Who created each of Creates (null: the gateway).
        public List<Access.CallingPartner?> CreatedBy { get; } = [];

        public List<long> AudienceKeys { get; } = [];

        public HashSet<string> AudiencePointsAt { get; } = new(StringComparer.Ordinal);
    }
}
