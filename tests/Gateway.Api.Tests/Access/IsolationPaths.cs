using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Gateway.Api.Tests.Access;

/// <summary>A way to read (or to find by writing) what the store holds; one row of the isolation matrix.</summary>
public sealed record IsolationPath(string Name, Func<IsolationProbe, Task> Run);

/// <summary>
/// Every read path SPEC §8 names, each probing with the resources the caller may not see. A new
/// path is one row here; the matrix crosses it with every caller. <see cref="Reads"/> leave the
/// store as it is; <see cref="Writes"/> (conditional writes, patient matching) store what the
/// caller sends, so they run against a store of their own.
/// </summary>
public static class IsolationPaths
{
    private static readonly string[] SeededTypes = ["Patient", "Consent", "ServiceRequest", "Task", "QuestionnaireResponse", "Provenance", "Subscription"];

    public static readonly IReadOnlyList<IsolationPath> Reads =
    [
        new("read", p => EachHidden(p, r => r.Reference)),
        new("vread", p => EachHidden(p, r => $"{r.Reference}/_history/{r.Version}")),
        new("history-instance", p => EachHidden(p, r => $"{r.Reference}/_history")),
        new("history-type", p => Each(p, SeededTypes.Select(t => $"{t}/_history?_count=1000"))),
        new("history-system", p => Each(p, ["_history?_count=1000"])),
        new("search-id", p => Each(p, p.Hidden.Select(r => $"{r.Type}?_id={r.Id}"))),
        new("search-identifier", p => Each(p, Identified(p).SelectMany(r => new[] { $"{r.Type}?identifier={Token(r)}", $"{r.Type}?identifier={Uri.EscapeDataString(r.Identifiers[0].Value)}" }))),
        new("chain-patient-identifier", p => Each(p, p.HiddenOf("Patient").SelectMany(r => new[]
        {
            $"ServiceRequest?patient.identifier={Token(r)}", $"Task?patient.identifier={Token(r)}", $"QuestionnaireResponse?patient.identifier={Token(r)}",
        }))),
        new("chain-subject-patient-identifier", p => Each(p, p.HiddenOf("Patient").SelectMany(r => new[]
        {
            $"ServiceRequest?subject:Patient.identifier={Token(r)}", $"QuestionnaireResponse?subject:Patient.identifier={Token(r)}", $"Consent?patient:Patient.identifier={Token(r)}",
        }))),
        new("include", p => Each(p,
        [
            "Task?_include=Task:*&_count=1000",
            "Task?_include=Task:focus&_include=Task:patient&_include=Task:based-on&_count=1000",
            "ServiceRequest?_include=ServiceRequest:*&_count=1000",
            "QuestionnaireResponse?_include=QuestionnaireResponse:based-on&_include=QuestionnaireResponse:patient&_count=1000",
            "Provenance?_include=Provenance:target&_count=1000",
            "Consent?_include=Consent:patient&_count=1000",
        ])),
        new("revinclude", p => Each(p,
        [
            "ServiceRequest?_revinclude=Task:focus&_revinclude=QuestionnaireResponse:based-on&_revinclude=Provenance:target&_count=1000",
            "Patient?_revinclude=Consent:patient&_revinclude=ServiceRequest:subject&_revinclude=Task:patient&_revinclude=QuestionnaireResponse:patient&_count=1000",
            "Task?_revinclude=Provenance:target&_count=1000",
        ])),
        new("include-iterate", p => Each(p,
        [
            "Task?_include=Task:focus&_include:iterate=ServiceRequest:subject&_revinclude:iterate=Consent:patient&_count=1000",
            "Task?_include=Task:patient&_revinclude:iterate=ServiceRequest:subject&_revinclude:iterate=QuestionnaireResponse:patient&_count=1000",
            "Provenance?_include=Provenance:target&_include:iterate=Task:focus&_include:iterate=ServiceRequest:patient&_count=1000",
            "Subscription?_count=1000",
        ])),
        new("has", p => Each(p, new[]
        {
            "Patient?_has:ServiceRequest:subject:status=active&_count=1000",
            "Patient?_has:Consent:patient:status=active&_count=1000",
            "ServiceRequest?_has:Task:focus:status=requested,accepted,on-hold&_count=1000",
            "ServiceRequest?_has:QuestionnaireResponse:based-on:status=completed&_count=1000",
        }.Concat(p.HiddenOf("ServiceRequest").Select(r => $"Patient?_has:ServiceRequest:subject:identifier={Token(r)}"))
         .Concat(p.HiddenOf("Task").Select(r => $"ServiceRequest?_has:Task:focus:identifier={Token(r)}"))
         .Concat(p.HiddenOf("Patient").Select(r => $"Patient?_has:ServiceRequest:subject:_id=x&_id={r.Id}")))),
        // SPEC §11: the directory is public, and nothing person-level comes with it (the seeded referrals name its services as performer).
        new("directory", p => Each(p,
        [
            "HealthcareService?_revinclude=ServiceRequest:performer&_count=1000",
            "HealthcareService?_revinclude=ServiceRequest:performer&_include:iterate=ServiceRequest:subject&_revinclude:iterate=Task:focus&_count=1000",
            "Location?_revinclude=HealthcareService:location&_revinclude:iterate=ServiceRequest:performer&_count=1000",
            "Organization?_revinclude=HealthcareService:organization&_revinclude:iterate=ServiceRequest:performer&_count=1000",
            "HealthcareService?_has:ServiceRequest:performer:status=active&_count=1000",
            "ServiceRequest?performer:HealthcareService.service-category=befriending&_count=1000",
            "Task?focus:ServiceRequest.performer=HealthcareService/x&_count=1000",
        ])),
        new("summary-count", p => Counts(p, "_summary=count")),
        new("total-accurate", p => Counts(p, "_total=accurate")),
        new("post-search", PostSearch),
        new("batch-get", BatchGet),
        new("transaction-get", TransactionGet),
        new("batch-search-include", p => Bundled(p, Bundle.BundleType.Batch, new[]
        {
            "Task?_include=Task:*&_count=1000",
            "ServiceRequest?_revinclude=Task:focus&_revinclude=QuestionnaireResponse:based-on&_include=ServiceRequest:*&_count=1000",
            "Patient?_revinclude=Consent:patient&_count=1000",
        }.Concat(p.HiddenOf("ServiceRequest", "Task", "Patient").Select(r => $"{r.Type}?_id={r.Id}&_include=*&_revinclude=*")))),
        new("everything", p => Operation(p, p.HiddenOf("Patient"), r => $"{r.Reference}/$everything")),
        new("validate-instance", p => Operation(p, p.Hidden, r => $"{r.Reference}/$validate")),
        new("referral-feed", p => Each(p, ["../records/referrals", "../records/referrals?since=2000-01-01T00:00:00Z"])),
        new("subscription-status", SubscriptionStatus),
        new("bulk-export", BulkExport),
        new("measure-reports", p => Each(p,
        [
            "Measure/$evaluate-measure?periodStart=2000&periodEnd=2100",
            "Measure/wellbeing-change/$evaluate-measure?periodStart=2000&periodEnd=2100&_format=csv",
            "MeasureReport?_count=1000",
            "Measure?_count=1000",
        ])),
    ];

    /// <summary>Conditional writes and patient matching: see <see cref="IsolationWritePaths"/>.</summary>
    public static IReadOnlyList<IsolationPath> Writes => IsolationWritePaths.All;

    /// <summary>Every caller × every path of the table: the matrix's xunit cases.</summary>
    public static TheoryData<string, string> Cases(IReadOnlyList<IsolationPath> paths)
    {
        var cases = new TheoryData<string, string>();
        foreach (var caller in IsolationCaller.All)
        {
            foreach (var path in paths)
            {
                cases.Add(caller.Name, path.Name);
            }
        }

        return cases;
    }

    /// <summary>Runs one case and fails it with every leak found, not just the first.</summary>
    public static async Task AssertNothingComesBack(IsolationGateway gateway, IReadOnlyList<IsolationPath> paths, string caller, string path, ITestOutputHelper output)
    {
        var probe = new IsolationProbe(gateway, IsolationCaller.All.Single(c => c.Name == caller));

        await paths.Single(p => p.Name == path).Run(probe);

        output.WriteLine($"{caller} × {path}: " + string.Join(", ", probe.Statuses.Select(s => $"{s.Key} ×{s.Value}")));
        var violations = probe.Violations.Distinct().ToList();
        Assert.True(violations.Count == 0, $"{caller} × {path}: {violations.Count} leak(s)\n" + string.Join("\n", violations.Take(30)));
    }

    internal static string Token(SeededResource r) => Uri.EscapeDataString($"{r.Identifiers[0].System}|{r.Identifiers[0].Value}");

    private static IEnumerable<SeededResource> Identified(IsolationProbe p) => p.Hidden.Where(r => r.Identifiers.Count > 0);

    private static async Task Each(IsolationProbe p, IEnumerable<string> urls)
    {
        foreach (var url in urls)
        {
            (await p.GetAsync(url)).Dispose();
        }
    }

    private static async Task EachHidden(IsolationProbe p, Func<SeededResource, string> url)
    {
        foreach (var resource in p.Hidden)
        {
            using var response = await p.GetAsync(url(resource));
            p.ExpectNotFound($"GET {url(resource)} ({resource})", response, resource.Type);
        }
    }

    // An operation on a hidden resource answers as it does for an id nobody has.
    private static async Task Operation(IsolationProbe p, IEnumerable<SeededResource> hidden, Func<SeededResource, string> url)
    {
        var unknown = new Dictionary<string, HttpStatusCode>(StringComparer.Ordinal);
        foreach (var resource in hidden)
        {
            if (!unknown.TryGetValue(resource.Type, out var expected))
            {
                using var nobody = await p.Client.GetAsync(url(resource with { Id = Guid.NewGuid().ToString() }));
                unknown[resource.Type] = expected = nobody.StatusCode;
            }

            using var response = await p.GetAsync(url(resource));
            if (response.StatusCode != expected)
            {
                p.Fail($"GET {url(resource)} ({resource}): {(int)response.StatusCode}, where an unknown id gets {(int)expected}");
            }
        }
    }

    // Neither the count nor the total may count what the caller may not see.
    private static async Task Counts(IsolationProbe p, string parameter)
    {
        var urls = p.Hidden.Select(r => $"{r.Type}?_id={r.Id}&{parameter}")
            .Concat(Identified(p).Where(r => !p.Told.Contains(r.Identifiers[0].Value)).Select(r => $"{r.Type}?identifier={Token(r)}&{parameter}"))
            .Concat(p.HiddenOf("Patient").Where(r => !p.Told.Contains(r.Identifiers[0].Value)).Select(r => $"ServiceRequest?patient.identifier={Token(r)}&{parameter}"));
        foreach (var url in urls)
        {
            using var response = await p.GetAsync(url);
            if (await IsolationProbe.BundleOf(response) is { } bundle && (bundle.Total > 0 || bundle.Entry.Any(e => e.Search?.Mode == Bundle.SearchEntryMode.Match)))
            {
                p.Fail($"GET {url}: total {bundle.Total}, {bundle.Entry.Count} entries, expected none");
            }
        }
    }

    private static async Task PostSearch(IsolationProbe p)
    {
        var forms = p.Hidden.Select(r => (r.Type, new Dictionary<string, string> { ["_id"] = r.Id }))
            .Concat(Identified(p).Select(r => (r.Type, new Dictionary<string, string> { ["identifier"] = $"{r.Identifiers[0].System}|{r.Identifiers[0].Value}" })))
            .Concat(p.HiddenOf("Patient").Select(r => ("ServiceRequest", new Dictionary<string, string> { ["patient.identifier"] = $"{r.Identifiers[0].System}|{r.Identifiers[0].Value}", ["_include"] = "ServiceRequest:patient" })));
        foreach (var (type, form) in forms)
        {
            (await p.SendAsync(HttpMethod.Post, $"{type}/_search", new FormUrlEncodedContent(form))).Dispose();
        }
    }

    private static async Task BatchGet(IsolationProbe p)
    {
        var hidden = p.Hidden.ToList();
        var unknown = hidden.Select(r => r.Type).Distinct().ToDictionary(t => t, t => $"{t}/{Guid.NewGuid()}");
        var bundle = new Bundle { Type = Bundle.BundleType.Batch };
        bundle.Entry.AddRange(hidden.Select(r => Get(r.Reference)));
        bundle.Entry.AddRange(hidden.Select(r => Get($"{r.Reference}/_history")));
        bundle.Entry.AddRange(hidden.Select(r => Get($"{r.Type}?_id={r.Id}")));
        bundle.Entry.AddRange(unknown.Values.Select(u => Get($"{u}/_history")));
        using var response = await p.SendAsync(HttpMethod.Post, p.Client.BaseAddress!.AbsoluteUri.TrimEnd('/'), FhirHttp.JsonContent(bundle));
        if (!response.IsSuccessStatusCode)
        {
            return; // refused whole (e.g. an operator's token): nothing of anyone's comes back
        }

        if (await IsolationProbe.BundleOf(response) is not { } answer || answer.Entry.Count != bundle.Entry.Count)
        {
            p.Fail($"batch of {bundle.Entry.Count} GETs answered {(int)response.StatusCode} without an entry per request");
            return;
        }

        var unknownStatus = unknown.Keys.Select((type, i) => (type, answer.Entry[hidden.Count * 3 + i].Response?.Status)).ToDictionary(u => u.type, u => u.Status);
        for (var i = 0; i < hidden.Count; i++)
        {
            var resource = hidden[i];
            p.ExpectNotFound($"batch GET {bundle.Entry[i].Request.Url} ({resource})", answer.Entry[i].Response?.Status ?? "none", resource.Type);
            var history = answer.Entry[hidden.Count + i].Response?.Status;
            if (history != unknownStatus[resource.Type])
            {
                p.Fail($"batch GET {resource.Reference}/_history ({resource}): {history}, where an unknown id gets {unknownStatus[resource.Type]}");
            }
        }
    }

    private static async Task TransactionGet(IsolationProbe p)
    {
        foreach (var resource in p.Hidden)
        {
            var bundle = new Bundle { Type = Bundle.BundleType.Transaction, Entry = [Get(resource.Reference)] };
            using var response = await p.SendAsync(HttpMethod.Post, p.Client.BaseAddress!.AbsoluteUri.TrimEnd('/'), FhirHttp.JsonContent(bundle));
            var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (await IsolationProbe.BundleOf(response) is { } answer)
            {
                status = answer.Entry.FirstOrDefault()?.Response?.Status ?? status;
            }

            p.ExpectNotFound($"transaction GET {resource.Reference} ({resource})", status, resource.Type);
        }
    }

    private static async Task Bundled(IsolationProbe p, Bundle.BundleType type, IEnumerable<string> urls)
    {
        var bundle = new Bundle { Type = type, Entry = [.. urls.Select(Get)] };
        (await p.SendAsync(HttpMethod.Post, p.Client.BaseAddress!.AbsoluteUri.TrimEnd('/'), FhirHttp.JsonContent(bundle))).Dispose();
    }

    private static Bundle.EntryComponent Get(string url) => new() { Request = new() { Method = Bundle.HTTPVerb.GET, Url = url } };

    private static async Task SubscriptionStatus(IsolationProbe p)
    {
        var hidden = p.HiddenOf("Subscription").ToList();
        foreach (var subscription in hidden)
        {
            using var response = await p.GetAsync($"Subscription/{subscription.Id}/$status");
            p.ExpectNotFound($"GET Subscription/{subscription.Id}/$status ({subscription})", response, "Subscription");
        }

        await Each(p, ["Subscription/$status", $"Subscription/$status?id={string.Join(',', hidden.Select(s => s.Id))}", "Subscription/$status?status=requested,active,error,off"]);
    }

    // SPEC §10: only an evaluator exports, and what it gets holds no id, business number or personal
    // data of anyone (the probe checks every body); the seed's one referral with research consent
    // must be in it, or the row proves nothing. The job runs here, in the test, as the API-only gateway has no Hangfire server.
    private static async Task BulkExport(IsolationProbe p)
    {
        foreach (var kickOff in new[] { "$export", $"Group/{TestPartners.Gp}/$export" })
        {
            using var accepted = await p.SendAsync(HttpMethod.Get, kickOff, null, ("Prefer", "respond-async"));
            if (p.Caller.Partner != TestPartners.Evaluator)
            {
                if (accepted.StatusCode != HttpStatusCode.Forbidden)
                {
                    p.Fail($"GET {kickOff} by a {p.Caller.Name}: {(int)accepted.StatusCode}, expected 403");
                }

                continue;
            }

            var status = accepted.Content.Headers.ContentLocation!;
            await p.Gateway.Services.GetRequiredService<Gateway.Jobs.Export.BulkExportJob>().RunAsync(Guid.Parse(status.Segments[^1]), CancellationToken.None);
            using var manifest = await p.GetAsync(status.ToString());
            var outputs = System.Text.Json.JsonDocument.Parse(await manifest.Content.ReadAsStringAsync()).RootElement.GetProperty("output").EnumerateArray().ToList();
            foreach (var output in outputs)
            {
                (await p.GetAsync(output.GetProperty("url").GetString()!)).Dispose();
            }

            if (!outputs.Any(o => o.GetProperty("type").GetString() == "Patient" && o.GetProperty("count").GetInt32() == 1))
            {
                p.Fail($"GET {kickOff}: the export does not hold the one patient with research consent ({manifest.StatusCode})");
            }
        }
    }
}
