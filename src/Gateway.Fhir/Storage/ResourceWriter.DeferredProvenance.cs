using Gateway.Fhir.Search.Index;
using Gateway.Fhir.Serialization;
using Hl7.Fhir.Model;
using NpgsqlTypes;

namespace Gateway.Fhir.Storage;

/// <summary>
/// The gateway's own new Provenance of a chunk of records, written together before the
/// transaction commits instead of one by one (issue 18: a chunk of 500 records writes 500 to 1,000
/// of them, two round trips each): one multi-row insert of their current rows, versions and index
/// rows, then one audience refresh for all of them. Only where the caller asks for it, and only
/// for what nothing reads back inside the transaction: a Provenance the gateway writes is not
/// watched by the workflow or by subscriptions, and <see cref="HasProvenanceFor"/> looks at the
/// transaction's changes, which list it at once. Flushed after the workflow's follow-ups (which
/// may add more) and before the notifications, which ask what each subscriber may see.
/// </summary>
public sealed partial class ResourceWriter
{
    /// <summary>From now on, this transaction's new Provenance by the gateway are written, with their audience, in one go before it commits.</summary>
    internal void DeferProvenance() => _deferredProvenance.Enabled = true;

    private bool DefersCreate(Resource resource) => _deferredProvenance.Enabled && Caller is null && resource is Provenance;

    // What WriteVersion does for a version 1, but kept for the flush: a gateway's Provenance has no
    // write rule, workflow check or previous version to judge it by.
    private StoredResource DeferCreate(Resource resource)
    {
        resource.Meta ??= new Meta();
        resource.Meta.VersionId = "1";
        resource.Meta.LastUpdated = Now;
        _deferredProvenance.Pending.Add((resource.TypeName, resource.Id!, FhirSerialization.ToJson(resource), SearchIndexer.Extract(resource)));
        _changes.Add(new ResourceChange(resource.TypeName, resource.Id!, 1, null, resource, OnBehalfOf));
        return new StoredResource(resource.TypeName, resource.Id!, 1, Now, resource);
    }

    private async System.Threading.Tasks.Task FlushDeferredProvenanceAsync(CancellationToken ct)
    {
        if (_deferredProvenance.Pending.Count == 0)
        {
            return;
        }

        var keys = new List<long>(_deferredProvenance.Pending.Count);
        await using (var insert = IndexSql.InsertMany(_deferredProvenance.Pending, Now))
        {
            insert.Connection = _connection;
            insert.Transaction = _transaction;
            await using var reader = await insert.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                keys.Add(reader.GetInt64(0));
            }
        }

        if (keys.Count != _deferredProvenance.Pending.Count)
        {
            throw new InvalidOperationException($"{_deferredProvenance.Pending.Count} Provenance were to be written, but {keys.Count} were: a freshly generated id collided with an existing resource.");
        }

        _deferredProvenance.Pending.Clear();
        await using var command = Command();
        command.CommandText = "select refresh_audience($1, $2)";
        command.Parameters.Add(new() { Value = keys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = Array.Empty<string>(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(ct);
    }

    private sealed class DeferredProvenance
    {
        public bool Enabled { get; set; }

        public List<(string Type, string Id, string Body, IndexRows Rows)> Pending { get; } = [];
    }
}
