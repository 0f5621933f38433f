using System.Threading.Channels;

namespace Gateway.Fhir.Audit;

/// <summary>
/// The queue between requests and <see cref="AuditWriter"/>. A request hands its record over and
/// awaits the returned task, which completes once the record's AuditEvent is committed (SPEC §8:
/// nothing leaves without its trail) or fails with <see cref="AuditTrailUnavailableException"/>.
/// Unbounded on purpose: every record has a request waiting for it, so the queue never holds more
/// than the requests in flight, and a stalled database already holds those back.
/// </summary>
public sealed class AuditTrail
{
    private readonly Channel<PendingAudit> _channel = Channel.CreateUnbounded<PendingAudit>(new UnboundedChannelOptions { SingleReader = true });

    public Task RecordAsync(AuditRecord record)
    {
        var pending = new PendingAudit(record);
        return _channel.Writer.TryWrite(pending)
            ? pending.Stored
            : Task.FromException(new AuditTrailUnavailableException("The audit trail is closed: the gateway is stopping and stores no more AuditEvents."));
    }

    internal ChannelReader<PendingAudit> Reader => _channel.Reader;

    internal void Complete() => _channel.Writer.TryComplete();
}

/// <summary>A record and the request waiting for it to be committed.</summary>
internal sealed class PendingAudit(AuditRecord record)
{
    // Asynchronous continuations: the writer completes hundreds at once and must not run their responses inline.
    private readonly TaskCompletionSource _stored = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public AuditRecord Record { get; } = record;

    public Task Stored => _stored.Task;

    public void Committed() => _stored.TrySetResult();

    public void Failed(Exception reason) => _stored.TrySetException(reason);
}
