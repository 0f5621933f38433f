using Gateway.Fhir.Access;
using Gateway.Fhir.Conformance;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Audit;

/// <summary>
/// The Provenance of a change the gateway made on someone's behalf (SPEC §5, §8): the versions it
/// wrote, the gateway as performer on behalf of the partner (and the partner's API client as
/// author) whose request set it off, what it did and why, and the version or record it came from.
/// </summary>
public static class ProvenanceBuilder
{
    public const string ClientIdSystem = GatewayGuide.CanonicalBase + "/NamingSystem/api-client";
    public const string GatewaySystem = GatewayGuide.CanonicalBase + "/NamingSystem/gateway-component";

    private const string ParticipantTypes = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";
    private const string DataOperations = "http://terminology.hl7.org/CodeSystem/v3-DataOperation";

    /// <param name="targets">Version-specific references (<c>Task/1/_history/2</c>) of what was written.</param>
    /// <param name="created">Whether the targets were created (CREATE) or changed (UPDATE).</param>
    /// <param name="what">What the gateway did and why, in words an integration engineer acts on.</param>
    /// <param name="sources">Version-specific references of what set the change off.</param>
    public static Provenance Build(IEnumerable<string> targets, bool created, string what, CallingPartner? onBehalfOf, IEnumerable<string> sources, DateTimeOffset now, string component = "referral-workflow")
    {
        var behalf = onBehalfOf is null ? null : new ResourceReference(onBehalfOf.OrganizationReference);
        var provenance = new Provenance
        {
            Target = targets.Select(t => new ResourceReference(t)).ToList(),
            Recorded = now,
            Activity = new CodeableConcept(DataOperations, created ? "CREATE" : "UPDATE", created ? "create" : "update") { Text = what },
            Agent =
            [
                new Provenance.AgentComponent
                {
                    Type = new CodeableConcept(ParticipantTypes, "performer", "Performer"),
                    Who = new ResourceReference { Identifier = new Identifier(GatewaySystem, component), Display = "Interop Gateway " + component },
                    OnBehalfOf = behalf,
                },
            ],
            Entity = sources.Select(s => new Provenance.EntityComponent { Role = Provenance.ProvenanceEntityRole.Source, What = new ResourceReference(s) }).ToList(),
        };
        if (onBehalfOf is not null)
        {
            provenance.Agent.Add(new Provenance.AgentComponent
            {
                Type = new CodeableConcept(ParticipantTypes, "author", "Author"),
                Who = new ResourceReference { Identifier = new Identifier(ClientIdSystem, onBehalfOf.ClientId), Display = $"API client {onBehalfOf.ClientId}" },
                OnBehalfOf = behalf,
            });
        }

        return provenance;
    }
}
