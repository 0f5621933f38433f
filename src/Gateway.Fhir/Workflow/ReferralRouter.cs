using Gateway.Fhir.Partners;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Workflow;

/// <summary>Who performs a referral, and why: the reason ends up in the Provenance, or on the Task when nobody does.</summary>
public sealed record RoutingDecision(Partner? Performer, string Reason);

/// <summary>
/// Chooses the performer of a social prescription (SPEC §5): the ServiceRequest's performer when
/// it names a partner (other than the requester and not an operator); otherwise the first routing rule of the partners file
/// whose conditions (patient's postcode area, requested service) all hold. Pure.
/// </summary>
public static class ReferralRouter
{
    public static RoutingDecision Route(ServiceRequest request, Patient? patient, PartnerDirectory partners)
    {
        foreach (var performer in request.Performer)
        {
            // A provider for a GP's referral; a GP practice too, for a housing provider's referral towards health.
            if (ReferralTask.PartnerId(performer.Reference) is { } id && partners.Find(id) is { } partner
                && partner.Kind != PartnerKinds.Operator && performer.Reference != request.Requester?.Reference)
            {
                return new RoutingDecision(partner, $"Routed to {partner.Id}, the ServiceRequest's performer.");
            }
        }

        var postcode = patient?.Address.Select(a => a.PostalCode).FirstOrDefault(p => !string.IsNullOrWhiteSpace(p));
        var codes = request.Code?.Coding.SelectMany(c => new[] { c.Code, $"{c.System}|{c.Code}" }).ToHashSet(StringComparer.Ordinal) ?? [];
        foreach (var rule in partners.File.Routing ?? [])
        {
            var byPostcode = rule.When.PostcodePrefixes is not { Count: > 0 } prefixes || (postcode is not null && prefixes.Any(p => PostcodeArea.Matches(postcode, p)));
            var byService = rule.When.Codes is not { Count: > 0 } wanted || wanted.Any(codes.Contains);
            if (byPostcode && byService && partners.Find(rule.Performer) is { } partner && PartnerKinds.IsProvider(partner.Kind))
            {
                return new RoutingDecision(partner, $"Routed to {partner.Id} by the routing rule for {Describe(rule.When)} (patient's postcode {postcode ?? "unknown"}).");
            }
        }

        var named = request.Performer.Count == 0 ? "names no performer" : $"names performer {string.Join(", ", request.Performer.Select(p => p.Reference ?? p.Display))}, which is not a partner of this gateway";
        return new RoutingDecision(null,
            $"Not routed: the ServiceRequest {named}, and no routing rule of the partners file matches the patient's postcode ({postcode ?? "none given"}) and the requested service. An operator must add a rule, or the requester name a performer.");
    }

    private static string Describe(RoutingCondition when) =>
        string.Join(" and ", new[]
        {
            when.PostcodePrefixes is { Count: > 0 } p ? "postcode areas " + string.Join(", ", p) : null,
            when.Codes is { Count: > 0 } c ? "services " + string.Join(", ", c) : null,
        }.Where(s => s is not null).DefaultIfEmpty("any referral"));
}
