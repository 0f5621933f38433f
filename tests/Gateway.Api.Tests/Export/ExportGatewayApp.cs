using System.Net;
using System.Text.Json;
using Gateway.Testing;
using Hangfire;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Export;

/// <summary>
/// A gateway running its jobs on a clock the test moves, with the two test evaluators' clients, and
/// small files (two resources each, chunks of a kilobyte) so that splitting and chunking are used.
/// </summary>
public sealed class ExportGatewayApp : ClockedJobsGatewayApp
{
    public static readonly TimeSpan FileLifetime = TimeSpan.FromMinutes(10);

    public HttpClient Evaluator { get; private set; } = null!;

    public HttpClient OtherEvaluator { get; private set; } = null!;

    /// <summary>The first evaluator's client with a token for Patient only. Clients are made before the clock moves (ClockedJobsGatewayApp).</summary>
    public HttpClient PatientsOnlyEvaluator { get; private set; } = null!;

    public HttpClient Gp { get; private set; } = null!;

    public HttpClient OtherGp { get; private set; } = null!;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        .. base.Settings(),
        new("Gateway:Export:FileLifetime", FileLifetime.ToString()),
        new("Gateway:Export:RetryAfter", "00:00:01"),
        new("Gateway:Export:ResourcesPerFile", "2"),
        new("Gateway:Export:ChunkBytes", "1024"),
        new("Gateway:Export:CleanupSchedule", Cron.Never()),
        // The clock moves past the files' lifetime; the clients' tokens must outlive that.
        new("Gateway:Auth:AccessTokenLifetimeSeconds", "3600"),
    ];

    public override async System.Threading.Tasks.Task InitializeAsync()
    {
        await base.InitializeAsync();
        Evaluator = await CreateClientAsync(TestPartners.Evaluator, "system/*.rs");
        OtherEvaluator = await CreateClientAsync(TestPartners.OtherEvaluator, "system/*.rs");
        PatientsOnlyEvaluator = await CreateClientAsync(TestPartners.Evaluator, "system/Patient.rs");
        Gp = await CreateClientAsync(TestPartners.Gp);
        OtherGp = await CreateClientAsync(TestPartners.OtherGp);
    }

    public override async System.Threading.Tasks.Task DisposeAsync()
    {
        foreach (var client in new[] { Evaluator, OtherEvaluator, PatientsOnlyEvaluator, Gp, OtherGp })
        {
            client?.Dispose();
        }

        await base.DisposeAsync();
    }

    /// <summary>
    /// A GP's referral to the housing provider of a patient with every direct identifier filled in:
    /// Patient, Consent (allowing research use or not), ServiceRequest (its authoredOn unique, to
    /// find it in an export), the routed Task and an ONS4 measure.
    /// </summary>
    public async Task<Referred> ReferAsync(bool researchUse, HttpClient? gp = null, string requester = TestPartners.Gp)
    {
        gp ??= Gp;
        var family = "Exportfam" + Guid.NewGuid().ToString("N")[..10];
        var patient = Resources.Patient(family: family);
        patient.Name[0].Given = ["Given" + Guid.NewGuid().ToString("N")[..6]];
        patient.BirthDate = "1951-03-08";
        patient.Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Home, "01922 " + Random.Shared.Next(100000, 999999))];
        patient.Address = [new Address { Line = ["14 Birchwood Close"], City = "Walsall", PostalCode = "WS2 8LD", Country = "GB" }];
        patient = await gp.CreateAsync(patient);
        var consent = researchUse ? Resources.ResearchConsent(patient.Id, TestPartners.Housing) : Resources.Consent(patient.Id, TestPartners.Housing);
        await gp.CreateAsync(consent);
        var authoredOn = $"2026-10-{Random.Shared.Next(1, 28):00}T{Random.Shared.Next(0, 24):00}:{Random.Shared.Next(0, 60):00}:{Random.Shared.Next(0, 60):00}Z";
        var request = await gp.CreateAsync(Resources.ServiceRequest(patient.Id, requester, TestPartners.Housing, authoredOn));
        var task = await gp.ReferralTaskAsync(request.Id);
        var measure = await gp.CreateAsync(Resources.Ons4(request.Id, patient.Id));
        return new Referred(patient, request, task, measure, authoredOn);
    }

    /// <summary>Kicks off an export, polls its status URL until it is done, and reads the manifest and every file.</summary>
    public static async Task<Exported> ExportAsync(HttpClient evaluator, string kickOff = "$export")
    {
        using var accepted = await KickOffAsync(evaluator, kickOff);
        Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, $"kick-off {kickOff}: {(int)accepted.StatusCode} {await accepted.Content.ReadAsStringAsync()}");
        var status = accepted.Content.Headers.ContentLocation ?? throw new InvalidOperationException("The kick-off answer has no Content-Location.");
        using var done = await EventuallyAsync(() => evaluator.GetAsync(status), r => r.StatusCode != HttpStatusCode.Accepted);
        var manifestJson = await done.Content.ReadAsStringAsync();
        Assert.True(done.StatusCode == HttpStatusCode.OK, $"status {status}: {(int)done.StatusCode} {manifestJson}");
        Assert.Equal("application/json", done.Content.Headers.ContentType?.MediaType);
        var manifest = JsonDocument.Parse(manifestJson).RootElement.Clone();
        var files = new List<ExportedFile>();
        foreach (var output in manifest.GetProperty("output").EnumerateArray())
        {
            var url = new Uri(output.GetProperty("url").GetString()!);
            using var file = await evaluator.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            Assert.Equal("application/fhir+ndjson", file.Content.Headers.ContentType?.MediaType);
            var text = await file.Content.ReadAsStringAsync();
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(output.GetProperty("count").GetInt32(), lines.Length);
            files.Add(new ExportedFile(output.GetProperty("type").GetString()!, url, text, lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList()));
        }

        return new Exported(status, manifest, files);
    }

    public static Task<HttpResponseMessage> KickOffAsync(HttpClient client, string kickOff, string accept = "application/fhir+json", bool async = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, kickOff);
        request.Headers.Accept.ParseAdd(accept);
        if (async)
        {
            request.Headers.Add("Prefer", "respond-async");
        }

        return client.SendAsync(request);
    }
}

public sealed record Referred(Patient Patient, ServiceRequest Request, Hl7.Fhir.Model.Task Task, QuestionnaireResponse Measure, string AuthoredOn)
{
    /// <summary>What must never be in an export: the direct identifiers and the exact birth date, the full postcode, and the ids.</summary>
    public IEnumerable<string> Identifying => new string?[]
    {
        Patient.Identifier[0].Value, Patient.Name[0].Family, Patient.Name[0].Given.First(), Patient.Telecom[0].Value, "Birchwood", "8LD", "1951-03-08",
        Patient.Id, Request.Id, Task.Id, Measure.Id, Request.Identifier[0].Value, Task.Identifier[0].Value,
    }.OfType<string>();
}

public sealed record ExportedFile(string Type, Uri Url, string Text, List<JsonElement> Resources);

public sealed record Exported(Uri Status, JsonElement Manifest, List<ExportedFile> Files)
{
    public IEnumerable<JsonElement> All(string type) => Files.Where(f => f.Type == type).SelectMany(f => f.Resources);

    public string AllText => string.Concat(Files.Select(f => f.Text));

    /// <summary>The exported ServiceRequest of the referral (found by its authoredOn), or null.</summary>
    public JsonElement? RequestOf(Referred referred) =>
        All("ServiceRequest").Cast<JsonElement?>().SingleOrDefault(r => r!.Value.GetProperty("authoredOn").GetString() == referred.AuthoredOn);

    /// <summary>The pseudonym the export gives the referral's patient (the ServiceRequest's subject).</summary>
    public string PatientPseudonymOf(Referred referred) =>
        (RequestOf(referred) ?? throw new InvalidOperationException($"The export has no ServiceRequest authored {referred.AuthoredOn}."))
            .GetProperty("subject").GetProperty("reference").GetString()!["Patient/".Length..];
}
