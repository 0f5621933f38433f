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
/// file (referral webhooks, pull URLs) are operator configuration and are not checked. No partner
/// call follows a redirect (<c>PartnerRedirects</c>), so no hop escapes these checks.
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

    /// <summary>Whether an address is on the public internet: not loopback, unspecified, private (RFC 1918, RFC 4193), shared (RFC 6598), link-local, site-local, multicast or broadcast; an IPv6 address carrying an IPv4 one (mapped, compatible, NAT64) as that IPv4 address.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (CarriedIPv4(address) is { } carried)
        {
            address = carried;
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

    // IPv6 forms that reach an IPv4 address are judged as that address: IPv4-mapped (::ffff:0:0/96),
    // IPv4-compatible (::/96, RFC 4291 §2.5.5.1, deprecated but still routed by some stacks) and
    // NAT64's well-known prefix (64:ff9b::/96, RFC 6052), which a NAT64 gateway turns into the IPv4 address.
    private static IPAddress? CarriedIPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var b = address.GetAddressBytes();
        var nat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0;
        var compatible = b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 && !IPAddress.IPv6Loopback.Equals(address) && !IPAddress.IPv6Any.Equals(address);
        return nat64 || compatible ? new IPAddress(b.AsSpan(12, 4)) : null;
    }

    private static FhirException Refused(string diagnostics) => new(422, OperationOutcome.IssueType.Invalid, diagnostics, Element);
}
