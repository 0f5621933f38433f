using Gateway.Fhir.Errors;
using Gateway.Fhir.Search;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Subscriptions;

/// <summary>
/// The search a topic-based Subscription stands for: its topic's resource type, narrowed by every
/// <c>backport-filter-criteria</c> on <c>Subscription.criteria</c> (all must hold). An unknown topic,
/// or a filter on a parameter the topic does not offer, is 422 naming where it is.
/// </summary>
internal static class TopicCriteria
{
    /// <summary>Whether the Subscription claims the Backport profile or its criteria is a URL rather than a search.</summary>
    public static bool IsTopicBased(Subscription subscription) =>
        subscription.Meta?.Profile.Any(p => p is not null && p.StartsWith(Backport.SubscriptionProfile, StringComparison.Ordinal)) == true
        || subscription.Criteria?.StartsWith("http", StringComparison.OrdinalIgnoreCase) == true;

    public static (SubscriptionTopic Topic, SearchCriteria Criteria) Parse(Subscription subscription)
    {
        var topic = SubscriptionTopic.Find(subscription.Criteria) ?? throw Invalid(
            $"Subscription.criteria '{subscription.Criteria}' is not a topic of this server; the topics offered are {string.Join(", ", SubscriptionTopic.All.Select(t => t.Url))}.",
            "Subscription.criteria");

        var clauses = new List<SearchClause>();
        var extensions = subscription.CriteriaElement?.Extension ?? [];
        for (var i = 0; i < extensions.Count; i++)
        {
            if (extensions[i].Url != Backport.FilterCriteria)
            {
                continue;
            }

            clauses.AddRange(Filter(topic, extensions[i].Value, $"Subscription.criteria.extension[{i}]"));
        }

        return (topic, new SearchCriteria(topic.ResourceType, clauses));
    }

    // One filter: "Task?owner=Organization/x&status=requested", the type optional.
    private static IReadOnlyList<SearchClause> Filter(SubscriptionTopic topic, DataType? value, string location)
    {
        var filter = (value as FhirString)?.Value;
        if (string.IsNullOrWhiteSpace(filter))
        {
            throw Invalid($"{location} (backport-filter-criteria) needs a valueString such as {topic.ResourceType}?{topic.Filters[0]}=...", location);
        }

        var question = filter.IndexOf('?', StringComparison.Ordinal);
        if (question > 0 && filter[..question] != topic.ResourceType)
        {
            throw Invalid($"{location}: the filter '{filter}' is on {filter[..question]}, but the topic {topic.Url} is about {topic.ResourceType}.", location);
        }

        var pairs = SearchQuery.SplitQuery(question < 0 ? filter : filter[(question + 1)..]).ToList();
        foreach (var (key, _) in pairs)
        {
            var name = key.Split(':', '.')[0];
            if (!topic.Filters.Contains(name) || key.Contains('.', StringComparison.Ordinal))
            {
                throw Invalid($"{location}: '{key}' is not a filter of the topic {topic.Url}; it allows {string.Join(", ", topic.Filters)}.", location);
            }
        }

        try
        {
            return SearchQuery.Parse(topic.ResourceType, pairs).Clauses;
        }
        catch (FhirException problem)
        {
            throw Invalid($"{location}: the filter '{filter}' is not a search this server runs: {problem.Message}", location);
        }
    }

    private static FhirException Invalid(string diagnostics, string expression) =>
        new(422, OperationOutcome.IssueType.Invalid, diagnostics, expression);
}
