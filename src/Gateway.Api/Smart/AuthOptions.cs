using System.ComponentModel.DataAnnotations;

namespace Gateway.Api.Smart;

/// <summary>Settings of the authorization server and token validation, section <c>Gateway:Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string Section = "Gateway:Auth";

    /// <summary>The <c>iss</c> of the gateway's access tokens.</summary>
    [Required]
    public string Issuer { get; set; } = "urn:interop-gateway";

    /// <summary>The <c>aud</c> of the gateway's access tokens: its FHIR and record APIs.</summary>
    [Required]
    public string Audience { get; set; } = "urn:interop-gateway:api";

    [Range(30, 3600)]
    public int AccessTokenLifetimeSeconds { get; set; } = 300;

    /// <summary>A signing key this old is replaced by a new one at the next load (start, or the minute's refresh).</summary>
    [Range(1, 3650)]
    public int SigningKeyMaxAgeDays { get; set; } = 90;

    /// <summary>
    /// The token endpoint URL clients put in their assertions' <c>aud</c>, when the gateway sits
    /// behind a proxy; otherwise the URL the request arrived at is used.
    /// </summary>
    public string? TokenEndpoint { get; set; }

    /// <summary>An external OpenID Connect issuer instead of the built-in one (its tokens need a <c>client_id</c> claim of a registered client).</summary>
    public string? Authority { get; set; }
}
