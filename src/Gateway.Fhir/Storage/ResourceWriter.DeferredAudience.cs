using Gateway.Fhir.Access;
using Hl7.Fhir.Model;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Fhir.Storage;

/// <summary>
/// The audience of the gateway's own new Provenance, refreshed once for the whole transaction
/// instead of once each (issue 18: a chunk of 500 records writes 500 to 1,000 of them). Only where
/// the caller asks for it, and only for what no one reads as a partner inside the transaction: a
/// Provenance the gateway just wrote. It is refreshed after the workflow's follow-ups and before
/// the notifications, which ask what each subscriber may see.
/// </summary>
public sealed partial class ResourceWriter
{
    /// <summary>From now on, this transaction's new Provenance by the gateway get their audience in one refresh before it commits.</summary>
    internal void DeferProvenanceAudience() => _deferredAudience.Enabled = true;

    private bool DefersAudience(long key, Resource resource, int version)
    {
        if (!_deferredAudience.Enabled || Caller is not null || version != 1 || resource is not Provenance)
        {
            return false;
        }

        _deferredAudience.Keys.Add(key);
        return true;
    }

    private async Task RefreshDeferredAudienceAsync(CancellationToken ct)
    {
        if (_deferredAudience.Keys.Count == 0)
        {
            return;
        }

        await using var command = Command();
        command.CommandText = "select refresh_audience($1, $2)";
        command.Parameters.Add(new() { Value = _deferredAudience.Keys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = Array.Empty<string>(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(ct);
        _deferredAudience.Keys.Clear();
    }

    private sealed class DeferredAudience
    {
        public bool Enabled { get; set; }

        public List<long> Keys { get; } = [];
    }
}
