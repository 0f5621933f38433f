using Hl7.Fhir.Model;

namespace Gateway.Fhir.Subscriptions;

/// <summary>
/// The Backport IG's extensions on <c>Subscription.channel</c> (STU 1.1): <c>backport-heartbeat-period</c>
/// (seconds without a notification before a heartbeat is sent), <c>backport-timeout</c> (seconds a
/// delivery may take) and <c>backport-max-count</c> (events per notification). See docs/adr/0008.
/// </summary>
public static class BackportChannel
{
    /// <summary>The heartbeat period; null when none is asked (absent or 0).</summary>
    public static TimeSpan? HeartbeatPeriod(Subscription subscription) => Seconds(subscription, Backport.HeartbeatPeriod);

    /// <summary>The delivery timeout the subscriber asks for; null when none (absent or 0).</summary>
    public static TimeSpan? Timeout(Subscription subscription) => Seconds(subscription, Backport.Timeout);

    /// <summary>At most this many events in one notification; 1 when not asked.</summary>
    public static int MaxCount(Subscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        return subscription.Channel?.GetExtensionValue<PositiveInt>(Backport.MaxCount)?.Value is > 0 and var count ? count : 1;
    }

    private static TimeSpan? Seconds(Subscription subscription, string url)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        return subscription.Channel?.GetExtensionValue<UnsignedInt>(url)?.Value is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : null;
    }
}
