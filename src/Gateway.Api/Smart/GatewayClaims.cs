namespace Gateway.Api.Smart;

/// <summary>The claims of the gateway's access tokens.</summary>
public static class GatewayClaims
{
    public const string ClientId = "client_id";
    public const string Partner = "partner";
    public const string Scope = "scope";
}
