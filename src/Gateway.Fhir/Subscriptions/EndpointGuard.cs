using System.Net;
using System.Net.Sockets;
using Gateway.Fhir.Errors;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Subscriptions;

/// <summary>
/// Keeps partners from making the gateway call its own network (SSRF): a Subscription's endpoint
/// must be http(s) and reach a public address, checked at create (an IP literal, or what the host
/// resolves to then) and again on every connection (<c>DeliveryHttp</c>), since a name may resolve
/// elsewhere later (DNS rebinding). <c>Gateway:Delivery:AllowPrivateEndpoints</c> lifts the address
/// rule, for the sandbox and tests that listen on loopback. Addresses from the operator's partners
/// file (referral webhooks, pull URLs) are operator configuration and are not checked.
/// </summary>
public sealed class EndpointGuard(bool allowPrivate)
{
    public const string AllowPrivateKey = "Gateway:Delivery:AllowPrivateEndpoints";
    private const string Element = "Subscription.channel.endpoint";

    public bool Allows(IPAddress address) => allowPrivate || IsPublic(address);

    /// <summary>422 naming <c>Subscription.channel.endpoint</c> when it is not http(s) or names or resolves to an address not allowed.</summary>
    public async System.Threading.Tasks.Task CheckAsync(Subscription subscription, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (!Uri.TryCreate(subscription.Channel?.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            throw Refused($"Subscription.channel.endpoint '{subscription.Channel?.Endpoint}' is not an absolute http(s) URL.");
        }

        if (allowPrivate)
        {
            return;
        }

        IPAddress[] addresses;
        if (IPAddress.TryParse(endpoint.DnsSafeHost, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(endpoint.DnsSafeHost, ct);
            }
            catch (SocketException)
            {
                // Not resolvable now: nothing to judge yet; every delivery checks where the name then leads.
                return;
            }
        }

        if (addresses.FirstOrDefault(a => !IsPublic(a)) is { } blocked)
        {
            throw Refused($"Subscription.channel.endpoint '{endpoint}' reaches {blocked}, an internal address (loopback, private, link-local or multicast); the gateway delivers to public addresses only.");
        }
    }

    /// <summary>Whether an address is on the public internet: not loopback, unspecified, private (RFC 1918, RFC 4193), shared (RFC 6598), link-local, site-local, multicast or broadcast.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast);
        }

        var b = address.GetAddressBytes();
        return !(b[0] is 0 or 10 or 127
            || (b[0] == 100 && b[1] >= 64 && b[1] < 128)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 172 && b[1] >= 16 && b[1] < 32)
            || (b[0] == 192 && b[1] == 168)
            || b[0] >= 224);
    }

    private static FhirException Refused(string diagnostics) => new(422, OperationOutcome.IssueType.Invalid, diagnostics, Element);
}
