namespace Gateway.Fhir.Access;

/// <summary>Who is calling: the API client, the partner organisation it belongs to, the partner's kind, and the scopes its token carries.</summary>
public sealed record CallingPartner(string ClientId, string PartnerId, string Kind, SmartScopes Scopes)
{
    public string OrganizationReference => $"Organization/{PartnerId}";
}
