using System.Net;
using System.Text;
using Gateway.Fhir.Validation;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Access;

/// <summary>
/// One caller probing one read path of the seeded gateway: sends requests and writes down, rather
/// than throwing at the first, every way an answer gives away what the caller may not see: a hidden
/// resource returned (any depth of a Bundle, Location, Content-Location), its id, business number
/// or personal data anywhere in a body or header, a status other than 404 for a direct read.
/// What the caller itself sent, in this request or in an earlier write, is not given away by
/// coming back.
/// </summary>
public sealed class IsolationProbe(IsolationGateway gateway, IsolationCaller caller)
{
    private static readonly string[] CheckedHeaders = ["Location", "Content-Location"];

    public List<string> Violations { get; } = [];

    /// <summary>How many answers of each status the probe got, to show a case did ask something (a path answering 400 to everything proves nothing).</summary>
    public SortedDictionary<string, int> Statuses { get; } = new(StringComparer.Ordinal);

    public IsolationCaller Caller => caller;

    public IsolationGateway Gateway => gateway;

    public HttpClient Client => gateway.ClientOf(caller.Partner);

    /// <summary>The seeded resources the caller may not see, foreign and withheld alike.</summary>
    public IEnumerable<SeededResource> Hidden => gateway.Seeded.Where(r => SightOf(r) is Sight.Withheld or Sight.Foreign);

    public IEnumerable<SeededResource> HiddenOf(params string[] types) => Hidden.Where(r => types.Contains(r.Type));

    public Sight SightOf(SeededResource resource) => IsolationGateway.SightOf(caller, resource);

    /// <summary>What the caller told the gateway in its own writes.</summary>
    public HashSet<string> Told => gateway.Told[caller.Name];

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, HttpContent? content = null, params (string Name, string Value)[] headers)
    {
        var sent = new StringBuilder(url);
        if (content is not null)
        {
            sent.Append(' ').Append(await content.ReadAsStringAsync());
        }

        foreach (var (_, value) in headers)
        {
            sent.Append(' ').Append(value);
        }

        var response = await Client.SendAsync(method, url, content, headers);
        await response.Content.LoadIntoBufferAsync();
        var status = $"{method} {(int)response.StatusCode}";
        Statuses[status] = Statuses.GetValueOrDefault(status) + 1;
        await CheckAsync($"{method} {url}", response, sent.ToString());
        return response;
    }

    public Task<HttpResponseMessage> GetAsync(string url) => SendAsync(HttpMethod.Get, url);

    /// <summary>A read of one hidden resource, directly or as a batch entry: 404, or 403 where the token does not cover the type at all.</summary>
    public void ExpectNotFound(string what, string status, string type)
    {
        if (status.StartsWith("404", StringComparison.Ordinal) || (status.StartsWith("403", StringComparison.Ordinal) && !caller.MayRead(type)))
        {
            return;
        }

        Violations.Add($"{what}: {status}, expected 404");
    }

    public void ExpectNotFound(string what, HttpResponseMessage response, string type) =>
        ExpectNotFound(what, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), type);

    public void Fail(string message) => Violations.Add(message);

    /// <summary>The Bundle of a successful search or history, or null (the status is then the caller's answer, e.g. 403 for a type it may not read).</summary>
    public static async Task<Bundle?> BundleOf(HttpResponseMessage response) =>
        response.IsSuccessStatusCode && TryParse(await response.Content.ReadAsStringAsync()) is Bundle bundle ? bundle : null;

    private async Task CheckAsync(string request, HttpResponseMessage response, string sent)
    {
        var hidden = Hidden.ToList();
        var tokens = Tokens(hidden).Where(t => !sent.Contains(t.Token, StringComparison.Ordinal) && !Told.Contains(t.Token)).ToList();
        foreach (var name in CheckedHeaders)
        {
            var values = response.Headers.TryGetValues(name, out var h) ? h : response.Content.Headers.TryGetValues(name, out var c) ? c : [];
            foreach (var value in values)
            {
                foreach (var located in hidden.Where(r => value.Contains(r.Id, StringComparison.Ordinal)))
                {
                    Violations.Add($"{request}: {name} {value} is {located}");
                }

                foreach (var (token, what) in tokens.Where(t => value.Contains(t.Token, StringComparison.Ordinal)))
                {
                    Violations.Add($"{request}: {name} carries {what}");
                }
            }
        }

        var body = await response.Content.ReadAsStringAsync();
        foreach (var (_, what) in tokens.Where(t => body.Contains(t.Token, StringComparison.Ordinal)))
        {
            Violations.Add($"{request} ({(int)response.StatusCode}): body carries {what}");
        }

        if (response.IsSuccessStatusCode && TryParse(body) is { } resource)
        {
            foreach (var returned in Returned(resource).Distinct())
            {
                foreach (var leaked in hidden.Where(r => returned == r.Reference || returned.EndsWith("/" + r.Reference, StringComparison.Ordinal)
                                                         || returned.Contains($"{r.Reference}/_history", StringComparison.Ordinal)))
                {
                    Violations.Add($"{request} ({(int)response.StatusCode}): returns {leaked} ({SightOf(leaked)})");
                }
            }
        }
    }

    // What would give a hidden resource away, for this caller: everything of a foreign one, the personal data of a withheld one, and every BSN to a welfare organisation.
    private IEnumerable<(string Token, string What)> Tokens(List<SeededResource> hidden)
    {
        foreach (var resource in hidden)
        {
            var foreign = SightOf(resource) == Sight.Foreign;
            if (foreign)
            {
                yield return (resource.Id, $"the id of {resource}");
                foreach (var number in resource.Business)
                {
                    yield return (number, $"{number} of {resource}");
                }
            }

            foreach (var personal in resource.Personal)
            {
                yield return (personal, $"{personal} of {resource}");
            }
        }

        if (caller.Partner == TestPartners.Welfare)
        {
            foreach (var patient in gateway.Seeded.Where(r => r.Bsn is not null))
            {
                yield return (patient.Bsn!, $"the BSN {patient.Bsn} of {patient} (SPEC §8: never to a welfare organisation)");
            }
        }
    }

    // Every resource an answer hands over, at any depth: the resource itself, Bundle entries (fullUrl, location), nested Bundles.
    private static IEnumerable<string> Returned(Resource resource)
    {
        if (resource is OperationOutcome)
        {
            yield break;
        }

        if (resource.Id is not null && resource is not Bundle)
        {
            yield return $"{resource.TypeName}/{resource.Id}";
        }

        if (resource is Bundle bundle)
        {
            foreach (var entry in bundle.Entry)
            {
                if (entry.FullUrl is { } fullUrl)
                {
                    yield return fullUrl;
                }

                if (entry.Response?.Location is { } location)
                {
                    yield return location;
                }

                if (entry.Resource is not null)
                {
                    foreach (var nested in Returned(entry.Resource))
                    {
                        yield return nested;
                    }
                }
            }
        }
    }

    private static Resource? TryParse(string body)
    {
        try
        {
            var parsed = ResourceParser.ParseJson(Encoding.UTF8.GetBytes(body));
            return parsed.Succeeded ? parsed.Resource : null;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    public override string ToString() => caller.Name;
}
