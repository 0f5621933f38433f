using Gateway.Fhir.Errors;
using Gateway.Fhir.Search;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Subscriptions;

/// <summary>
/// What a partner's Subscription must be for the gateway to serve it (SPEC §7): classic R4
/// criteria on Task, QuestionnaireResponse or ServiceRequest that parse as a search, or one of the
/// <see cref="SubscriptionTopic"/>s with its allowed filters (Backport IG, docs/adr/0008); a rest-hook
/// channel to an absolute http(s) endpoint, an empty or FHIR JSON payload. Anything else is 422
/// naming the element.
/// </summary>
public static class SubscriptionRules
{
    public const string FhirJson = "application/fhir+json";

    /// <summary>The R4 Subscriptions Backport IG's extension on channel.payload: empty, id-only or full-resource.</summary>
    public const string PayloadContentUrl = Backport.PayloadContent;

    public const string Empty = "empty";
    public const string IdOnly = "id-only";
    public const string FullResource = "full-resource";

    // MeasureReports: commissioners are told when the monthly reports of their area are made (issue 19).
    private static readonly HashSet<string> Types = ["Task", "QuestionnaireResponse", "ServiceRequest", "MeasureReport"];

    /// <summary>Whether a change of <paramref name="type"/> can match any Subscription's criteria.</summary>
    public static bool Watches(string type) => Types.Contains(type);

    public static void Check(Subscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        Criteria(subscription);
        if (subscription.Channel?.Type != Subscription.SubscriptionChannelType.RestHook)
        {
            throw Invalid("Subscription.channel.type must be rest-hook; this server delivers no other channel.", "Subscription.channel.type");
        }

        if (!Uri.TryCreate(subscription.Channel.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            throw Invalid($"Subscription.channel.endpoint '{subscription.Channel.Endpoint}' is not an absolute http(s) URL.", "Subscription.channel.endpoint");
        }

        if (subscription.Channel.Payload is { } payload && payload != FhirJson)
        {
            throw Invalid($"Subscription.channel.payload '{payload}' is not supported: leave it out for an empty notification, or ask for {FhirJson}.", "Subscription.channel.payload");
        }

        var content = subscription.Channel.PayloadElement?.GetExtensionValue<Code>(PayloadContentUrl)?.Value;
        if (content is not null && content is not (Empty or IdOnly or FullResource))
        {
            throw Invalid($"The payload content '{content}' is not one of {Empty}, {IdOnly}, {FullResource}.", "Subscription.channel.payload");
        }

        if (content is IdOnly or FullResource && subscription.Channel.Payload is null)
        {
            throw Invalid($"A payload content of {content} needs Subscription.channel.payload {FhirJson}.", "Subscription.channel.payload");
        }

        if (subscription.Channel.Header.FirstOrDefault(h => h is null || h.IndexOf(':', StringComparison.Ordinal) <= 0) is { } header)
        {
            throw Invalid($"Subscription.channel.header '{header}' is not 'Name: value'.", "Subscription.channel.header");
        }
    }

    /// <summary>
    /// What a notification carries: the Backport extension's choice; without it, for a classic
    /// Subscription <see cref="Empty"/> without a payload and <see cref="FullResource"/> with one,
    /// for a topic-based one <see cref="IdOnly"/> (SPEC §7).
    /// </summary>
    public static string Content(Subscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (subscription.Channel?.PayloadElement?.GetExtensionValue<Code>(PayloadContentUrl)?.Value is { } chosen)
        {
            return chosen;
        }

        return TopicCriteria.IsTopicBased(subscription) ? IdOnly
            : subscription.Channel?.Payload is null ? Empty
            : FullResource;
    }

    /// <summary>The topic of a topic-based Subscription; null for a classic one (or a topic the server no longer offers).</summary>
    public static SubscriptionTopic? Topic(Subscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        return TopicCriteria.IsTopicBased(subscription) ? SubscriptionTopic.Find(subscription.Criteria) : null;
    }

    /// <summary>The parsed criteria, the topic's search with its filters for a topic-based one, or 422 naming where it is wrong.</summary>
    public static SearchCriteria Criteria(Subscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (TopicCriteria.IsTopicBased(subscription))
        {
            return TopicCriteria.Parse(subscription).Criteria;
        }

        var criteria = subscription.Criteria;
        var question = criteria?.IndexOf('?', StringComparison.Ordinal) ?? -1;
        var type = question < 0 ? criteria : criteria![..question];
        if (type is null || !Types.Contains(type))
        {
            throw Invalid($"Subscription.criteria '{criteria}' must be a search on {string.Join(", ", Types)}, such as Task?owner=Organization/x&status=requested.", "Subscription.criteria");
        }

        try
        {
            return SearchQuery.Parse(type, question < 0 ? "" : criteria![(question + 1)..]);
        }
        catch (FhirException problem)
        {
            throw Invalid($"Subscription.criteria '{criteria}' is not a search this server runs: {problem.Message}", "Subscription.criteria");
        }
    }

    private static FhirException Invalid(string diagnostics, string expression) =>
        new(422, OperationOutcome.IssueType.Invalid, diagnostics, expression);
}
