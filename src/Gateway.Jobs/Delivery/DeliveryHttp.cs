namespace Gateway.Jobs.Delivery;

/// <summary>Sends one delivery request: 2xx is delivered; any other answer, a timeout or a refused connection is the reason it was not.</summary>
public sealed class DeliveryHttp(JobsOptions options) : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = options.DeliveryTimeout,
    };

    public async Task<DeliveryResult> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            using var response = await _client.SendAsync(request, ct);
            return response.IsSuccessStatusCode
                ? DeliveryResult.Success
                : DeliveryResult.Failure($"{request.RequestUri} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
        catch (HttpRequestException problem)
        {
            return DeliveryResult.Failure($"{request.RequestUri} could not be reached: {problem.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return DeliveryResult.Failure($"{request.RequestUri} did not answer within {options.DeliveryTimeout}.");
        }
    }

    public void Dispose() => _client.Dispose();
}
