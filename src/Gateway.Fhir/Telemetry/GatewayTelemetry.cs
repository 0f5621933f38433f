using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Gateway.Fhir.Telemetry;

/// <summary>
/// The gateway's own instruments, all in one place: the <c>Gateway</c> Meter and ActivitySource
/// that OpenTelemetry (and any MeterListener or ActivityListener) subscribes to by name. Request
/// rate and latency come from ASP.NET Core's own instrumentation, not from here.
/// </summary>
public static class GatewayTelemetry
{
    public const string Name = "Gateway";

    public const string Records = "gateway.records";
    public const string Deliveries = "gateway.deliveries";
    public const string SlaBreaches = "gateway.sla.breaches";

    public static readonly Meter Meter = new(Name);
    public static readonly ActivitySource Source = new(Name);

    private static readonly Counter<long> RecordCounter = Meter.CreateCounter<long>(Records, "{record}", "Partner records processed, by format and outcome (accepted, unchanged, rejected).");
    private static readonly Counter<long> DeliveryCounter = Meter.CreateCounter<long>(Deliveries, "{delivery}", "Outbox delivery attempts, by kind and outcome (delivered, retry, failed).");
    private static readonly Counter<long> SlaBreachCounter = Meter.CreateCounter<long>(SlaBreaches, "{task}", "Referral Tasks the SLA checks flagged, by kind (acceptance-overdue, update-overdue, remeasure-due).");

    public static void RecordProcessed(string format, string outcome) =>
        RecordCounter.Add(1, new KeyValuePair<string, object?>("format", format), new KeyValuePair<string, object?>("outcome", outcome));

    public static void DeliveryAttempted(string kind, string outcome) =>
        DeliveryCounter.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", outcome));

    public static void SlaBreached(string kind, int tasks)
    {
        if (tasks > 0)
        {
            SlaBreachCounter.Add(tasks, new KeyValuePair<string, object?>("kind", kind));
        }
    }
}
