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

    private static readonly HashSet<string> Types = ["Task", "QuestionnaireResponse", "ServiceRequest"];

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

        if (subscription.Channel.Header.FirstOrDefault(h => h is null || h.IndexOf(':', StringComparison.Ordinal) <= 0) is { } header)
        {
            throw Invalid($"Subscription.channel.header '{header}' is not 'Name: value'.", "Subscription.channel.header");
        }
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
