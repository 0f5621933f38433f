using System.Net.Http.Headers;
using System.Text;
using Gateway.Fhir.Serialization;
using Gateway.Fhir.Validation;
using Hl7.Fhir.Model;

namespace Gateway.Testing;

/// <summary>Small HTTP conveniences for FHIR tests: send a resource as FHIR JSON or XML, read a response back as a POCO.</summary>
public static class FhirHttp
{
    public const string Json = "application/fhir+json";
    public const string Xml = "application/fhir+xml";

    public static HttpContent JsonContent(Resource resource) => Content(FhirSerialization.ToJson(resource), Json);

    public static HttpContent Content(string body, string mediaType)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        return content;
    }

    public static Task<HttpResponseMessage> PostAsync(this HttpClient client, string path, Resource resource, params (string Name, string Value)[] headers) =>
        SendAsync(client, HttpMethod.Post, path, JsonContent(resource), headers);

    public static Task<HttpResponseMessage> PutAsync(this HttpClient client, string path, Resource resource, params (string Name, string Value)[] headers) =>
        SendAsync(client, HttpMethod.Put, path, JsonContent(resource), headers);

    /// <summary>POST [base] (FHIR R4 http.html#transaction): the base URL itself, without a trailing slash.</summary>
    public static Task<HttpResponseMessage> PostBundleAsync(this HttpClient client, Bundle bundle, params (string Name, string Value)[] headers) =>
        PostBundleAsync(client, FhirSerialization.ToJson(bundle), headers);

    public static Task<HttpResponseMessage> PostBundleAsync(this HttpClient client, string json, params (string Name, string Value)[] headers) =>
        SendAsync(client, HttpMethod.Post, client.BaseAddress!.AbsoluteUri.TrimEnd('/'), Content(json, Json), headers);

    public static async Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string path, HttpContent? content, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request);
    }

    /// <summary>Parses the body with the gateway's own strict parser: a response that is not valid FHIR fails the test.</summary>
    /// <summary>FHIR JSON as a resource, parsed as strictly as the gateway parses requests.</summary>
    public static T Parse<T>(string json) where T : Resource
    {
        var parsed = ResourceParser.ParseJson(Encoding.UTF8.GetBytes(json));
        return parsed.Resource as T ?? throw new InvalidOperationException("Not a " + typeof(T).Name + ": " + string.Join("; ", parsed.Issues.Select(i => i.Diagnostics)));
    }

    public static async Task<T> ReadResourceAsync<T>(this HttpResponseMessage response) where T : Resource
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var parsed = mediaType == Xml ? ResourceParser.ParseXml(bytes) : ResourceParser.ParseJson(bytes);
        if (!parsed.Succeeded)
        {
            throw new InvalidOperationException(
                $"The response ({(int)response.StatusCode}, {mediaType}) is not a valid FHIR resource: " +
                string.Join("; ", parsed.Issues.Select(i => i.Diagnostics)) + "\n" + Encoding.UTF8.GetString(bytes));
        }

        return parsed.Resource as T ?? throw new InvalidOperationException($"Expected a {typeof(T).Name}, got a {parsed.Resource!.TypeName}.");
    }

    /// <summary>Creates the resource and returns it as stored (with id and meta); fails unless the answer is 201.</summary>
    public static async Task<T> CreateAsync<T>(this HttpClient client, T resource) where T : Resource
    {
        using var response = await client.PostAsync(resource.TypeName, resource);
        if (response.StatusCode != System.Net.HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Creating a {resource.TypeName} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return await response.ReadResourceAsync<T>();
    }

    /// <summary>The one Task the gateway made for the referral, as <paramref name="client"/> sees it; fails unless there is exactly one.</summary>
    public static async Task<Hl7.Fhir.Model.Task> ReferralTaskAsync(this HttpClient client, string serviceRequestId) =>
        (await client.SearchAsync($"Task?focus=ServiceRequest/{serviceRequestId}")).Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Task>().Single();

    /// <summary>Runs a search (e.g. <c>Task?owner=Organization/1</c>) and returns the searchset Bundle; fails unless the answer is 200.</summary>
    public static async Task<Bundle> SearchAsync(this HttpClient client, string query, params (string Name, string Value)[] headers)
    {
        using var response = await client.SendAsync(HttpMethod.Get, query, null, headers);
        if (response.StatusCode != System.Net.HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {query} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return await response.ReadResourceAsync<Bundle>();
    }

    /// <summary>The ids of the entries that matched (search.mode = match), in order.</summary>
    public static List<string> MatchIds(this Bundle bundle) =>
        bundle.Entry.Where(e => e.Search?.Mode == Bundle.SearchEntryMode.Match).Select(e => e.Resource.Id).ToList();

    public static Task<OperationOutcome> ReadOutcomeAsync(this HttpResponseMessage response) => response.ReadResourceAsync<OperationOutcome>();
}
