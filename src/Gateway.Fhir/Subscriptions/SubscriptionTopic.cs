using Gateway.Fhir.Conformance;

namespace Gateway.Fhir.Subscriptions;

/// <summary>
/// A topic the gateway offers for topic-based Subscriptions (SPEC §7, docs/adr/0008): every
/// create or update of <see cref="ResourceType"/>, narrowed by the search parameters in
/// <see cref="Filters"/>. R4 has no SubscriptionTopic resource; the CapabilityStatement names the canonicals.
/// </summary>
public sealed record SubscriptionTopic(string Id, string ResourceType, IReadOnlyList<string> Filters, string Description)
{
    public string Url => GatewayGuide.Canonical("SubscriptionTopic", Id);

    public static readonly SubscriptionTopic TaskChanges = new("task-changes", "Task", ["owner", "requester", "status"],
        "A referral Task was created or changed (status, business status, outputs).");

    public static readonly SubscriptionTopic ServiceRequestChanges = new("servicerequest-changes", "ServiceRequest", ["requester", "status", "patient"],
        "A social-prescription ServiceRequest was created or changed (e.g. revoked, completed).");

    public static IReadOnlyList<SubscriptionTopic> All { get; } = [TaskChanges, ServiceRequestChanges];

    /// <summary>The topic with this canonical (a <c>|version</c> ignored), or null.</summary>
    public static SubscriptionTopic? Find(string? canonical) =>
        canonical is null ? null : All.FirstOrDefault(t => t.Url == GatewayGuide.WithoutVersion(canonical));
}
