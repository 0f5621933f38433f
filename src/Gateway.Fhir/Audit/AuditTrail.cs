using System.Threading.Channels;

namespace Gateway.Fhir.Audit;

/// <summary>
/// The queue between requests and <see cref="AuditWriter"/>: a request hands its record over in
/// microseconds and the writer stores records in batches, off the request path. Bounded, so a
/// stalled database slows requests down (back-pressure) rather than losing audit records.
/// </summary>
public sealed class AuditTrail
{
    private readonly Channel<AuditRecord> _channel = Channel.CreateBounded<AuditRecord>(new BoundedChannelOptions(10_000)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    public ValueTask RecordAsync(AuditRecord record, CancellationToken ct = default) => _channel.Writer.WriteAsync(record, ct);

    internal ChannelReader<AuditRecord> Reader => _channel.Reader;

    internal void Complete() => _channel.Writer.TryComplete();
}
