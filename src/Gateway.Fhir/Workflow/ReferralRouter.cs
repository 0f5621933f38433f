using Gateway.Fhir.Partners;
using Gateway.Fhir.ServiceDirectory;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Workflow;

/// <summary>
/// Who performs a referral, and why: the reason ends up in the Provenance, or on the Task when nobody does.
/// <paramref name="Service"/> is the directory entry chosen (SPEC §11); <paramref name="NoCapacity"/> says
/// the referral has services it could go to, none of which takes referrals now.
/// </summary>
public sealed record RoutingDecision(Partner? Performer, string Reason, DirectoryService? Service = null, bool NoCapacity = false);

/// <summary>
/// Chooses the performer of a social prescription (SPEC §5, §11): the ServiceRequest's performer when
/// it names a partner (other than the requester and not an operator) or a directory service (its
/// provider); otherwise the first routing rule of the partners file whose conditions (patient's
/// postcode area, requested service) all hold, a rule with a service category choosing among that
/// category's services in the rule's areas. Services without capacity are skipped. Pure.
/// </summary>
public static class ReferralRouter
{
    public static RoutingDecision Route(ServiceRequest request, Patient? patient, PartnerDirectory partners, IReadOnlyList<DirectoryService>? services = null)
    {
        services ??= [];
        foreach (var performer in request.Performer)
        {
            if (performer.Reference is { } reference && reference.StartsWith("HealthcareService/", StringComparison.Ordinal))
            {
                return NamedService(services.FirstOrDefault(s => s.Reference == reference), reference);
            }

            // A provider for a GP's referral; a GP practice too, for a housing provider's referral towards health.
            if (ReferralTask.PartnerId(performer.Reference) is { } id && partners.Find(id) is { } partner
                && partner.Kind != PartnerKinds.Operator && performer.Reference != request.Requester?.Reference)
            {
                return new RoutingDecision(partner, $"Routed to {partner.Id}, the ServiceRequest's performer.");
            }
        }

        var postcode = patient?.Address.Select(a => a.PostalCode).FirstOrDefault(p => !string.IsNullOrWhiteSpace(p));
        var codes = request.Code?.Coding.SelectMany(c => new[] { c.Code, $"{c.System}|{c.Code}" }).ToHashSet(StringComparer.Ordinal) ?? [];
        var rules = partners.File.Routing ?? [];
        for (var number = 0; number < rules.Count; number++)
        {
            var rule = rules[number];
            var byPostcode = rule.When.PostcodePrefixes is not { Count: > 0 } prefixes || (postcode is not null && prefixes.Any(p => PostcodeArea.Matches(postcode, p)));
            var byService = rule.When.Codes is not { Count: > 0 } wanted || wanted.Any(codes.Contains);
            if (!byPostcode || !byService)
            {
                continue;
            }

            var described = $"routing rule {number + 1} ({Describe(rule.When)}; patient's postcode {postcode ?? "unknown"})";
            if (rule.ServiceCategory is { } category)
            {
                if (ByCategory(rule, category, services, described) is { } chosen)
                {
                    return chosen;
                }
            }
            else if (partners.Find(rule.Performer!) is { } partner && PartnerKinds.IsProvider(partner.Kind))
            {
                return new RoutingDecision(partner, $"Routed to {partner.Id} by {described}.");
            }
        }

        var named = request.Performer.Count == 0 ? "names no performer" : $"names performer {string.Join(", ", request.Performer.Select(p => p.Reference ?? p.Display))}, which is not a partner of this gateway";
        return new RoutingDecision(null,
            $"Not routed: the ServiceRequest {named}, and no routing rule of the partners file matches the patient's postcode ({postcode ?? "none given"}) and the requested service. An operator must add a rule, or the requester name a performer.");
    }

    private static RoutingDecision NamedService(DirectoryService? service, string reference)
    {
        if (service is not { Active: true })
        {
            return new RoutingDecision(null, $"Not routed: the ServiceRequest's performer {reference} is not an active service of the directory.");
        }

        if (service.Provider is not { } provider)
        {
            return new RoutingDecision(null, $"Not routed: {service.Label}, the ServiceRequest's performer, is provided by no partner of this gateway.", service);
        }

        return service.Capacity.AcceptsReferrals
            ? new RoutingDecision(provider, $"Routed to {provider.Id}, the provider of {service.Label}, the ServiceRequest's performer.", service)
            : new RoutingDecision(null, $"Held: {service.Label}, the ServiceRequest's performer, takes no referrals now (no capacity); the referral is offered again when it has.", service, NoCapacity: true);
    }

    // Among the rule's category in its areas: the service with capacity and the shortest expected wait (then by name, for a stable choice).
    // No service of the category there at all: the next rule decides. Services, but none with capacity: held.
    private static RoutingDecision? ByCategory(RoutingRule rule, string category, IReadOnlyList<DirectoryService> services, string described)
    {
        var candidates = services
            .Where(s => s.Active && s.Provider is not null && s.Categories.Contains(category, StringComparer.Ordinal))
            .Where(s => rule.When.PostcodePrefixes is not { Count: > 0 } areas || s.Postcodes.Any(p => areas.Any(a => PostcodeArea.Matches(p, a))))
            .ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var open = candidates.Where(s => s.Capacity.AcceptsReferrals)
            .OrderBy(s => s.Capacity.WaitDays).ThenBy(s => s.Name, StringComparer.Ordinal).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
        var full = candidates.Count - open.Count;
        if (open.Count == 0)
        {
            return new RoutingDecision(null,
                $"Held by {described}: none of the {candidates.Count} '{category}' services in its area takes referrals now ({string.Join(", ", candidates.Select(c => c.Label))}); the referral is offered again when one has capacity.",
                NoCapacity: true);
        }

        var chosen = open[0];
        return new RoutingDecision(chosen.Provider,
            $"Routed to {chosen.Provider!.Id}, the provider of {chosen.Label}, by {described}: the '{category}' service in its area with capacity and the shortest expected wait"
            + (full > 0 ? $" ({full} without capacity skipped)." : "."),
            chosen);
    }

    private static string Describe(RoutingCondition when) =>
        string.Join(" and ", new[]
        {
            when.PostcodePrefixes is { Count: > 0 } p ? "postcode areas " + string.Join(", ", p) : null,
            when.Codes is { Count: > 0 } c ? "services " + string.Join(", ", c) : null,
        }.Where(s => s is not null).DefaultIfEmpty("any referral"));
}
