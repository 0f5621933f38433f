using Hl7.Fhir.Model;

namespace Gateway.Fhir.Partners;

/// <summary>A partner as the FHIR Organization the rest of the gateway refers to (<c>Organization/{partner id}</c>).</summary>
public static class PartnerOrganization
{
    public const string KindSystem = "https://interop-gateway.example/fhir/CodeSystem/partner-kind";

    public static Organization From(Partner partner) => new()
    {
        Id = partner.Id,
        Active = true,
        Name = partner.Name,
        Identifier = (partner.Identifiers ?? []).Select(i => new Identifier(i.System, i.Value)).ToList(),
        Type = [new CodeableConcept(KindSystem, partner.Kind)],
    };
}
