namespace Gateway.Jobs;

/// <summary>
/// Calls at partner-given addresses (webhooks, pull exports, partner FHIR servers, JWKS) never
/// follow a redirect: a 3xx could steer the gateway at its own network (SSRF), past the address
/// the operator or the guard approved. The 3xx is the answer, and a failure.
/// </summary>
public static class PartnerRedirects
{
    public static SocketsHttpHandler Handler() => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };

    /// <summary>What to add to a failure's reason when the answer was a redirect; empty otherwise.</summary>
    public static string Explain(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var status = (int)response.StatusCode;
        return status is >= 300 and < 400
            ? $" (a redirect to {response.Headers.Location?.ToString() ?? "nowhere"}; redirects are not followed)"
            : "";
    }
}
