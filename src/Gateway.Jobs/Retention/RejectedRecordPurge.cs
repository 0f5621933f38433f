using Gateway.Fhir.Storage;

namespace Gateway.Jobs.Retention;

/// <summary>
/// Deletes partner records still rejected when last received before the cut-off, raw body and
/// reasons with them: a record the partner never fixed is not kept for ever. Applied records stay,
/// as the source of their Provenance.
/// </summary>
internal static class RejectedRecordPurge
{
    public static Task<int> RunAsync(ResourceStore store, DateTimeOffset before, CancellationToken ct) =>
        store.WriteAsync(async gateway =>
        {
            await using var delete = gateway.Command();
            delete.CommandText = "delete from partner_record where state = 'rejected' and received_at < $1";
            delete.Parameters.Add(new() { Value = before });
            return await delete.ExecuteNonQueryAsync(ct);
        }, ct);
}
