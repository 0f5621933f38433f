namespace Gateway.Testing;

/// <summary>
/// Fails the request, and so the test, when the gateway answers 5xx: no client input may reach a
/// server error (SPEC §3), so every test checks it without saying so.
/// </summary>
public sealed class NoServerErrorsHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if ((int)response.StatusCode >= 500)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException($"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}: {body}");
        }

        return response;
    }
}
