namespace Gateway.Fhir.Subscriptions;

/// <summary>The canonical URLs of the R4 Subscriptions Backport IG (STU 1.1) the gateway uses.</summary>
public static class Backport
{
    private const string Base = "http://hl7.org/fhir/uv/subscriptions-backport/";

    public const string SubscriptionProfile = Base + "StructureDefinition/backport-subscription";
    public const string FilterCriteria = Base + "StructureDefinition/backport-filter-criteria";
    public const string PayloadContent = Base + "StructureDefinition/backport-payload-content";
    public const string HeartbeatPeriod = Base + "StructureDefinition/backport-heartbeat-period";
    public const string Timeout = Base + "StructureDefinition/backport-timeout";
    public const string MaxCount = Base + "StructureDefinition/backport-max-count";
    public const string StatusProfile = Base + "StructureDefinition/backport-subscription-status-r4";
    public const string NotificationProfile = Base + "StructureDefinition/backport-subscription-notification-r4";
    public const string TopicCanonical = Base + "StructureDefinition/capabilitystatement-subscriptiontopic-canonical";
    public const string StatusOperation = Base + "OperationDefinition/backport-subscription-status";

    public const string Handshake = "handshake";
    public const string Heartbeat = "heartbeat";
    public const string EventNotification = "event-notification";
    public const string QueryStatus = "query-status";
}
