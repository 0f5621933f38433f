using Gateway.Api.Smart;
using Gateway.Fhir.Access;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Subscriptions;
using Hl7.Fhir.Model;
using Npgsql;

namespace Gateway.Api.Fhir;

/// <summary>
/// Subscription <c>$status</c> (R4 Subscriptions Backport IG): a searchset Bundle of SubscriptionStatus
/// Parameters, for one Subscription or all the caller's (optionally by <c>id</c> and <c>status</c>).
/// Classic Subscriptions are answered too, without a topic. A Subscription the caller may not see is 404.
/// </summary>
public static class SubscriptionStatus
{
    public static async Task<IResult> HandleInstance(string id, HttpRequest request, NpgsqlDataSource dataSource, TimeProvider clock, CancellationToken ct)
    {
        var found = await SubscriptionStatusQuery.FindAsync(dataSource, Caller(request), [FhirRequest.ValidId(id)], [], ct);
        if (found.Count == 0)
        {
            throw new ResourceNotFoundException($"Subscription/{id} is not known to this server.");
        }

        return FhirResult.Of(Searchset(request, found, clock));
    }

    public static async Task<IResult> HandleType(HttpRequest request, NpgsqlDataSource dataSource, TimeProvider clock, CancellationToken ct)
    {
        var ids = Values(request, "id");
        var statuses = Values(request, "status");
        var found = await SubscriptionStatusQuery.FindAsync(dataSource, Caller(request), ids.Count == 0 ? null : ids, statuses, ct);
        return FhirResult.Of(Searchset(request, found, clock));
    }

    private static CallingPartner Caller(HttpRequest request)
    {
        var caller = request.HttpContext.RequiredCaller();
        if (!caller.Scopes.Permits("Subscription", 'r'))
        {
            throw new FhirException(StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Forbidden,
                "The access token does not allow $status on Subscription: request a token with scope system/Subscription.r (or wider).");
        }

        return caller;
    }

    // Repeated and comma-separated values alike (the OperationDefinition joins them with OR).
    private static List<string> Values(HttpRequest request, string name) =>
        request.Query[name].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();

    private static Bundle Searchset(HttpRequest request, IReadOnlyList<Parameters> found, TimeProvider clock) => new()
    {
        Id = Guid.NewGuid().ToString(),
        Type = Bundle.BundleType.Searchset,
        Timestamp = clock.GetUtcNow(),
        Total = found.Count,
        Link = [new Bundle.LinkComponent { Relation = "self", Url = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}" }],
        Entry = found.Select(status => new Bundle.EntryComponent
        {
            FullUrl = "urn:uuid:" + status.Id,
            Resource = status,
            Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match },
        }).ToList(),
    };
}
