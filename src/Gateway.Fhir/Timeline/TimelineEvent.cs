namespace Gateway.Fhir.Timeline;

/// <summary>What a referral's timeline is made of, as the console and <c>GET /console/api/referrals/{id}/timeline</c> show it.</summary>
public static class TimelineKinds
{
    public const string TaskVersion = "task-version";
    public const string Record = "record";
    public const string Delivery = "delivery";
    public const string Provenance = "provenance";
}

/// <summary>
/// One thing that happened to a referral: when, what kind, a line saying what, who did it, and the
/// facts behind the line (a JSON object's members: strings, numbers, lists of strings or of issue objects).
/// </summary>
public sealed record TimelineEvent(DateTimeOffset At, string Kind, string Summary, string Actor, IReadOnlyDictionary<string, object?> Detail);

/// <summary>A referral's timeline: its Task, the GP's ServiceRequest, and the events oldest first.</summary>
public sealed record ReferralTimelineView(string Task, string? ServiceRequest, IReadOnlyList<TimelineEvent> Events);
