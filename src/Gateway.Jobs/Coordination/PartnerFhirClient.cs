using System.Net.Http.Headers;
using Gateway.Fhir.Partners;
using Gateway.Fhir.Serialization;
using Gateway.Fhir.Validation;
using Hl7.Fhir.Model;

namespace Gateway.Jobs.Coordination;

/// <summary>
/// The REST calls the gateway makes at a partner's own FHIR server (partners file
/// <c>fhirEndpoint</c>), with the bearer token from the environment variable
/// <c>fhirEndpointTokenEnv</c> names, none when it names none. Anything but the answer FHIR R4
/// http.html promises (unreachable, too slow, not 2xx, not a resource) is a
/// <see cref="PartnerFhirException"/> saying which partner, request and reason.
/// </summary>
public sealed class PartnerFhirClient(IHttpClientFactory http, JobsOptions options)
{
    public const string HttpClientName = "partner-fhir";

    private const string FhirJson = "application/fhir+json";

    /// <summary>Conditional create (FHIR R4 http.html#ccreate): the id of the new resource, or of the one <paramref name="ifNoneExist"/> already matches.</summary>
    public async Task<string> CreateAsync(Partner partner, Resource resource, string ifNoneExist, CancellationToken ct)
    {
        using var request = Request(partner, HttpMethod.Post, resource.TypeName);
        request.Headers.Add("If-None-Exist", ifNoneExist);
        request.Headers.Add("Prefer", "return=representation");
        request.Content = Body(resource);
        var (response, body) = await SendAsync(partner, request, ct);
        using (response)
        {
            // 201 created, 200 already there; the id from Location, else from the body.
            if (response.Headers.Location is { } location && IdFrom(location.ToString(), resource.TypeName) is { } fromLocation)
            {
                return fromLocation;
            }

            return Parse<Resource>(partner, request, body).Id
                ?? throw Failed(partner, request, "answered without a Location header or a resource id");
        }
    }

    public async Task<T> ReadAsync<T>(Partner partner, string relativeUrl, CancellationToken ct) where T : Resource
    {
        using var request = Request(partner, HttpMethod.Get, relativeUrl);
        var (response, body) = await SendAsync(partner, request, ct);
        response.Dispose();
        return Parse<T>(partner, request, body);
    }

    public async Task UpdateAsync(Partner partner, Resource resource, CancellationToken ct)
    {
        using var request = Request(partner, HttpMethod.Put, $"{resource.TypeName}/{resource.Id}");
        request.Content = Body(resource);
        var (response, _) = await SendAsync(partner, request, ct);
        response.Dispose();
    }

    /// <summary>The absolute URL of <paramref name="relativeUrl"/> at the partner's server.</summary>
    public static string Url(Partner partner, string relativeUrl) => partner.FhirEndpoint!.TrimEnd('/') + "/" + relativeUrl;

    private static HttpRequestMessage Request(Partner partner, HttpMethod method, string relativeUrl)
    {
        var request = new HttpRequestMessage(method, Url(partner, relativeUrl));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(FhirJson));
        if (partner.FhirEndpointTokenEnv is { } tokenEnv)
        {
            var token = Environment.GetEnvironmentVariable(tokenEnv);
            if (string.IsNullOrEmpty(token))
            {
                throw Failed(partner, request, $"was not sent: the environment variable {tokenEnv} (fhirEndpointTokenEnv of {partner.Id}) holding its bearer token is not set");
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    private static ByteArrayContent Body(Resource resource)
    {
        var content = new ByteArrayContent(FhirSerialization.ToJsonBytes(resource));
        content.Headers.ContentType = new MediaTypeHeaderValue(FhirJson) { CharSet = "utf-8" };
        return content;
    }

    private async Task<(HttpResponseMessage Response, byte[] Body)> SendAsync(Partner partner, HttpRequestMessage request, CancellationToken ct)
    {
        using var client = http.CreateClient(HttpClientName);
        client.Timeout = options.PartnerFhirTimeout;
        HttpResponseMessage response;
        byte[] body;
        try
        {
            response = await client.SendAsync(request, ct);
            body = await response.Content.ReadAsByteArrayAsync(ct);
        }
        catch (TaskCanceledException timeout) when (!ct.IsCancellationRequested)
        {
            throw Failed(partner, request, $"got no answer within {options.PartnerFhirTimeout.TotalSeconds:0.#} s", timeout);
        }
        catch (HttpRequestException unreachable)
        {
            throw Failed(partner, request, $"could not reach the server: {unreachable.Message}", unreachable);
        }

        if (!response.IsSuccessStatusCode)
        {
            response.Dispose();
            throw Failed(partner, request, $"was answered {(int)response.StatusCode} {response.ReasonPhrase}{PartnerRedirects.Explain(response)}: {Excerpt(System.Text.Encoding.UTF8.GetString(body))}");
        }

        return (response, body);
    }

    private static T Parse<T>(Partner partner, HttpRequestMessage request, byte[] body) where T : Resource
    {
        var parsed = body.Length == 0 ? null : ResourceParser.ParseJson(body);
        if (parsed is not { Succeeded: true, Resource: T resource })
        {
            var problems = parsed is null ? "an empty body" : string.Join("; ", parsed.Issues.Take(3).Select(i => i.Diagnostics));
            throw Failed(partner, request, $"was answered with something that is not a FHIR {typeof(T).Name} ({problems}): {Excerpt(System.Text.Encoding.UTF8.GetString(body))}");
        }

        return resource;
    }

    // Location: [base]/Type/id/_history/n (FHIR R4 http.html#create).
    private static string? IdFrom(string location, string type)
    {
        var parts = location.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.LastIndexOf(parts, type);
        return at >= 0 && at + 1 < parts.Length ? parts[at + 1] : null;
    }

    private static PartnerFhirException Failed(Partner partner, HttpRequestMessage request, string what, Exception? inner = null) =>
        new($"{request.Method} {request.RequestUri} at the FHIR server of {partner.Id} {what}.", inner);

    private static string Excerpt(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

/// <summary>A call at a partner's FHIR server that did not come to what FHIR promises; nothing of it was applied, and it is tried again.</summary>
public sealed class PartnerFhirException(string message, Exception? inner = null) : Exception(message, inner);
