using System.Net;
using System.Net.Sockets;
using Gateway.Fhir.Subscriptions;

namespace Gateway.Jobs.Delivery;

/// <summary>
/// Sends one delivery request: 2xx is delivered; any other answer (a 3xx too: redirects are not
/// followed, see <see cref="PartnerRedirects"/>), a timeout or a refused connection is the reason it was not.
/// </summary>
public sealed class DeliveryHttp : IDisposable
{
    private readonly JobsOptions _options;
    private readonly HttpClient _operatorGiven;
    private readonly HttpClient _partnerGiven;

    public DeliveryHttp(JobsOptions options, EndpointGuard guard)
    {
        _options = options;
        // The timeout is per request (SendAsync): a Subscription may ask for its own (backport-timeout).
        _operatorGiven = new HttpClient(PartnerRedirects.Handler()) { Timeout = Timeout.InfiniteTimeSpan };
        // The address is checked where the socket connects, after resolution, so a name that
        // resolved to a public address at create and to an internal one now is still refused.
        // No proxy: the check must see the endpoint's address, not a proxy's.
        _partnerGiven = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectCallback = (context, ct) => ConnectAsync(guard, context.DnsEndPoint, ct),
        })
        { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <param name="partnerGiven">The URL came from a partner (a Subscription's endpoint), not from the operator's partners file: only allowed addresses are connected to (<see cref="EndpointGuard"/>).</param>
    /// <param name="timeout">The receiver's own timeout (a Subscription's backport-timeout), at most <see cref="JobsOptions.DeliveryMaxTimeout"/>; <see cref="JobsOptions.DeliveryTimeout"/> when null.</param>
    public async Task<DeliveryResult> SendAsync(HttpRequestMessage request, CancellationToken ct, bool partnerGiven = false, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = timeout is { } asked ? (asked < _options.DeliveryMaxTimeout ? asked : _options.DeliveryMaxTimeout) : _options.DeliveryTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(limit);
        try
        {
            using var response = await (partnerGiven ? _partnerGiven : _operatorGiven).SendAsync(request, deadline.Token);
            return response.IsSuccessStatusCode
                ? DeliveryResult.Success
                : DeliveryResult.Failure($"{request.RequestUri} answered {(int)response.StatusCode} {response.ReasonPhrase}{PartnerRedirects.Explain(response)}.");
        }
        catch (HttpRequestException problem)
        {
            return DeliveryResult.Failure($"{request.RequestUri} could not be reached: {problem.Message}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return DeliveryResult.Failure($"{request.RequestUri} did not answer within {limit.TotalSeconds:0.###} s.");
        }
    }

    private static async ValueTask<Stream> ConnectAsync(EndpointGuard guard, DnsEndPoint endpoint, CancellationToken ct)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(endpoint.Host, ct);
        var allowed = addresses.Where(guard.Allows).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException($"{endpoint.Host} resolves to {string.Join(", ", addresses.Select(a => a.ToString()))}, internal address(es) the gateway does not deliver to (Gateway:Delivery:AllowPrivateEndpoints is off).");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _operatorGiven.Dispose();
        _partnerGiven.Dispose();
    }
}
