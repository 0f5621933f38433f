using Gateway.Fhir.Audit;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Timeline;

/// <summary>
/// Who did something, in words an operator reads: the partner and its API client on whose behalf,
/// and the gateway component that did the writing (from a Provenance), or the client an AuditEvent names.
/// </summary>
internal static class TimelineActors
{
    public const string Gateway = "gateway";

    public static string Of(Provenance provenance)
    {
        var component = provenance.Agent.Select(a => a.Who?.Identifier).FirstOrDefault(i => i?.System == ProvenanceBuilder.GatewaySystem)?.Value;
        var client = provenance.Agent.Select(a => a.Who?.Identifier).FirstOrDefault(i => i?.System == ProvenanceBuilder.ClientIdSystem)?.Value;
        var partner = provenance.Agent.Select(a => a.OnBehalfOf?.Reference).FirstOrDefault(r => r is not null);
        var gateway = component is null ? Gateway : $"{Gateway} ({component})";
        return partner is null ? gateway : $"{Partner(partner)}{(client is null ? "" : $" (client {client})")} via {gateway}";
    }

    public static string Of(AuditEvent audit)
    {
        var agent = audit.Agent.FirstOrDefault(a => a.Requestor == true) ?? audit.Agent.FirstOrDefault();
        var partner = agent?.Who?.Reference;
        var client = agent?.AltId;
        return partner is null ? client ?? "unknown" : $"{Partner(partner)}{(client is null ? "" : $" (client {client})")}";
    }

    private static string Partner(string reference) =>
        reference.StartsWith("Organization/", StringComparison.Ordinal) ? reference["Organization/".Length..] : reference;
}
