using Gateway.Fhir.Access;
using Gateway.Fhir.Partners;

namespace Gateway.Jobs.PartnerSync;

/// <summary>A job acts as the partner whose records it brings in, with the record API's one scope.</summary>
public static class PartnerCaller
{
    public const string Pull = "gateway-pull";
    public const string DropFolder = "gateway-drop-folder";
    public const string Recovery = "gateway-recovery";

    public static CallingPartner For(Partner partner, string clientId) =>
        new(clientId, partner.Id, partner.Kind, SmartScopes.Parse(SmartScopes.RecordsWrite));
}
