using Gateway.Fhir.Errors;
using Gateway.Fhir.Search;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Subscriptions;

/// <summary>
/// What a partner's Subscription must be for the gateway to serve it (SPEC §7): classic R4
/// criteria on Task, QuestionnaireResponse or ServiceRequest that parse as a search, a rest-hook
/// channel to an absolute http(s) endpoint, an empty or FHIR JSON payload. Anything else is 422
/// naming the element.
/// </summary>
public static class SubscriptionRules
{
    public const string FhirJson = "application/fhir+json";

    /// <summary>The R4 Subscriptions Backport IG's extension on channel.payload: empty, id-only or full-resource.</summary>
    public const string PayloadContentUrl = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content";

    public const string Empty = "empty";
    public const string IdOnly = "id-only";
    public const string FullResource = "full-resource";

    private static readonly HashSet<string> Types = ["Task", "QuestionnaireResponse", "ServiceRequest"];

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

    /// <summary>What a notification carries: <see cref="Empty"/> without a payload, else the Backport extension's choice, <see cref="FullResource"/> by default.</summary>
    public static string Content(Subscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        return subscription.Channel?.Payload is null
            ? Empty
            : subscription.Channel.PayloadElement.GetExtensionValue<Code>(PayloadContentUrl)?.Value ?? FullResource;
    }

    /// <summary>The parsed criteria, or 422 naming Subscription.criteria.</summary>
    public static SearchCriteria Criteria(Subscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
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
