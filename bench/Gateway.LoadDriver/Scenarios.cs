using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gateway.LoadDriver;

/// <summary>The measured interactions of issue 9, each a <see cref="Request"/> over HTTP with the demo partners' clients.</summary>
public sealed partial class Scenarios(HttpClient http, Uri gateway, AccessTokens tokens, ReferralData data)
{
    public const string GpClient = "hillside-emis";
    public const string HousingClient = "hfactor-crm";
    public const string DutchGpClient = "de-brug-loadtest";
    private const string GpScopes = "system/Patient.crus system/Consent.crus system/ServiceRequest.crs system/Task.rs";
    private const string HousingScopes = "system/Task.rus gateway/records.write";
    private const string DutchGpScopes = "system/Patient.crus system/Consent.crus system/ServiceRequest.crs system/Task.rs";
    private const string FhirJson = "application/fhir+json";

    /// <summary>
    /// Patients for the ServiceRequest creates, made before the run in transactions of a hundred:
    /// the gateway allows one active referral per patient, service and requester.
    /// </summary>
    public async Task<IReadOnlyList<string>> PatientsAsync(int count, CancellationToken ct)
    {
        // Four transactions at a time: tens of thousands of patients are made in a minute or two, not ten.
        var batches = new List<string>[(count + 99) / 100];
        await Parallel.ForEachAsync(Enumerable.Range(0, batches.Length), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (batch, token) =>
        {
            var first = batch * 100;
            var entries = Enumerable.Range(first, Math.Min(100, count - first))
                .Select(i => "{\"resource\":" + data.Patient(1_000_000 + i) + ",\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}");
            using var response = await SendAsync(HttpMethod.Post, "fhir", "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + string.Join(",", entries) + "]}",
                FhirJson, GpClient, GpScopes, token);
            var body = await response.Content.ReadAsStringAsync(token);
            batches[batch] = response.IsSuccessStatusCode
                ? LocationPattern().Matches(body).Select(m => m.Groups[1].Value).ToList()
                : throw new InvalidOperationException($"Creating patients answered {(int)response.StatusCode}: {body}");
        });

        return batches.SelectMany(b => b).ToList();
    }

    /// <summary>A ServiceRequest create: validated, audited, authorised, checked for duplicates and routed to a Task in the same transaction.</summary>
    public Request ServiceRequestCreate(IReadOnlyList<string> patients) => async (n, ct) =>
    {
        // A patient used twice gets 409 (one active referral per patient, service and requester): the driver's failure, not the gateway's.
        if (n == patients.Count)
        {
            await Console.Error.WriteLineAsync($"More creates than the {patients.Count} patients made: the rest reuse patients and fail with 409 by design. Raise --patients (CREATE_PATIENTS in bench/load.sh).");
        }

        var body = ReferralData.ServiceRequest(patients[(int)(n % patients.Count)], data.ReferralId(n));
        using var created = await SendAsync(HttpMethod.Post, "fhir/ServiceRequest", body, FhirJson, GpClient, GpScopes, ct);
        return created.StatusCode == HttpStatusCode.Created;
    };

    /// <summary>The GP's referral transaction: Patient, Consent, ServiceRequest, routed to a Task in the same transaction.</summary>
    public Request ReferralBundle() => async (n, ct) =>
    {
        using var response = await SendAsync(HttpMethod.Post, "fhir", data.Bundle(n), FhirJson, GpClient, GpScopes, ct);
        return response.StatusCode == HttpStatusCode.OK;
    };

    /// <summary>De Brug's referral transaction to the welfare organisation (only with loadtest-partners.json, which gives De Brug a client).</summary>
    public Request DutchReferralBundle() => async (n, ct) =>
    {
        using var response = await SendAsync(HttpMethod.Post, "fhir", data.DutchBundle(n), FhirJson, DutchGpClient, DutchGpScopes, ct);
        return response.StatusCode == HttpStatusCode.OK;
    };

    public Request SearchOwnerRequested() => async (_, ct) =>
    {
        using var response = await SendAsync(HttpMethod.Get, "fhir/Task?owner=Organization/hfactor-housing&status=requested", null, null, HousingClient, HousingScopes, ct);
        return response.StatusCode == HttpStatusCode.OK;
    };

    /// <summary>Searches a referral of the preload by its patient's NHS number (<paramref name="preloaded"/> referrals from number 1).</summary>
    public Request SearchPatientIdentifier(long preloaded) => async (n, ct) =>
    {
        var nhs = data.NhsNumber(1 + (n * 7919 % preloaded));
        using var response = await SendAsync(HttpMethod.Get, $"fhir/Task?patient.identifier=https://fhir.nhs.uk/Id/nhs-number|{nhs}", null, null, GpClient, GpScopes, ct);
        return response.StatusCode == HttpStatusCode.OK;
    };

    /// <summary>Searches a referral of the preload by its patient's NHS number, chained on the ServiceRequest's subject (<c>subject:Patient.identifier</c>).</summary>
    public Request SearchSubjectIdentifier(long preloaded) => async (n, ct) =>
    {
        var nhs = data.NhsNumber(1 + (n * 7919 % preloaded));
        using var response = await SendAsync(HttpMethod.Get, $"fhir/ServiceRequest?subject:Patient.identifier=https://fhir.nhs.uk/Id/nhs-number|{nhs}", null, null, GpClient, GpScopes, ct);
        return response.StatusCode == HttpStatusCode.OK;
    };

    /// <summary>The GP's first page of its active referrals, as a worklist polls it.</summary>
    public Request SearchActiveRequests() => async (_, ct) =>
    {
        using var response = await SendAsync(HttpMethod.Get, "fhir/ServiceRequest?status=active&_count=50", null, null, GpClient, GpScopes, ct);
        return response.StatusCode == HttpStatusCode.OK;
    };

    /// <summary>
    /// The ServiceRequest and Task ids of up to <paramref name="sample"/> referrals of the preload
    /// (<paramref name="preloaded"/> from number 1), found by referral number as the requesting GP,
    /// for the reads by id.
    /// </summary>
    public async Task<IReadOnlyList<ReferralIds>> PreloadedIdsAsync(long preloaded, int sample, CancellationToken ct)
    {
        var ids = new List<ReferralIds>();
        for (var i = 0L; i < Math.Min(sample, preloaded); i++)
        {
            var referral = data.ReferralId(1 + (i * 7919 % preloaded));
            using var response = await SendAsync(HttpMethod.Get, $"fhir/ServiceRequest?identifier=https://hillside.example/referrals|{referral}&_revinclude=Task:focus",
                null, null, GpClient, GpScopes, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Finding referral {referral} answered {(int)response.StatusCode}: {body}");
            }

            using var bundle = JsonDocument.Parse(body);
            var resources = bundle.RootElement.TryGetProperty("entry", out var entries)
                ? entries.EnumerateArray().Select(e => e.GetProperty("resource")).ToList()
                : [];
            string? IdOf(string type) => resources.FirstOrDefault(r => r.GetProperty("resourceType").GetString() == type) is { ValueKind: JsonValueKind.Object } r
                ? r.GetProperty("id").GetString()
                : null;
            if (IdOf("ServiceRequest") is { } request && IdOf("Task") is { } task)
            {
                ids.Add(new ReferralIds(request, task));
            }
        }

        return ids.Count > 0 ? ids : throw new InvalidOperationException($"None of {sample} referrals of the preload was found: was it made with the same --run?");
    }

    /// <summary>A read by id of a preloaded referral's ServiceRequest, as the GP that requested it.</summary>
    public Request ReadServiceRequest(IReadOnlyList<ReferralIds> referrals) => async (n, ct) =>
    {
        using var response = await SendAsync(HttpMethod.Get, $"fhir/ServiceRequest/{referrals[(int)(n % referrals.Count)].ServiceRequest}", null, null, GpClient, GpScopes, ct);
        return response.StatusCode == HttpStatusCode.OK;
    };

    /// <summary>A read by id of a preloaded referral's Task, as the GP that requested it.</summary>
    public Request ReadTask(IReadOnlyList<ReferralIds> referrals) => async (n, ct) =>
    {
        using var response = await SendAsync(HttpMethod.Get, $"fhir/Task/{referrals[(int)(n % referrals.Count)].Task}", null, null, GpClient, GpScopes, ct);
        return response.StatusCode == HttpStatusCode.OK;
    };

    /// <summary>A housing-case record for a preloaded referral, each a new message.</summary>
    public Request HousingCaseRecord(long preloaded) => async (n, ct) =>
    {
        using var response = await SendAsync(HttpMethod.Post, "records", data.HousingCase(1 + (n % preloaded)), "application/json", HousingClient, HousingScopes, ct);
        return response.StatusCode == HttpStatusCode.OK;
    };

    /// <summary>A Patient create as the GP: validated, matched by NHS number (none found), audited, its audience written.</summary>
    public Request PatientCreate(long skip) => async (n, ct) =>
    {
        using var response = await SendAsync(HttpMethod.Post, "fhir/Patient", data.Patient(3_000_000 + skip + n), FhirJson, GpClient, GpScopes, ct);
        return response.StatusCode == HttpStatusCode.Created;
    };

    /// <summary>
    /// A page of the housing provider's referral feed (<c>GET /records/referrals</c>) as its poller
    /// reads it: every other request the first page, the others the pages after it, following next.
    /// </summary>
    public Request ReferralFeedPage()
    {
        var next = new string?[1];
        return async (n, ct) =>
        {
            var path = n % 2 == 1 && Volatile.Read(ref next[0]) is { } url ? url.TrimStart('/') : "records/referrals";
            using var response = await SendAsync(HttpMethod.Get, path, null, null, HousingClient, HousingScopes, ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }

            using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            var link = page.RootElement.TryGetProperty("next", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            Volatile.Write(ref next[0], link);
            return page.RootElement.GetProperty("referrals").GetArrayLength() > 0;
        };
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body, string? mediaType, string client, string scopes, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(gateway, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.ForAsync(client, scopes, ct));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, mediaType!);
        }

        var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode && Interlocked.Increment(ref _failuresShown) <= 3)
        {
            // The first few failures, so a run that fails says why rather than only how often.
            var text = await response.Content.ReadAsStringAsync(ct);
            await Console.Error.WriteLineAsync($"{method} {path}: {(int)response.StatusCode} {text[..Math.Min(text.Length, 600)]}");
        }

        return response;
    }

    private int _failuresShown;

    [GeneratedRegex("\"location\":\"Patient/([^/\"]+)")]
    private static partial Regex LocationPattern();
}

/// <summary>A preloaded referral's ServiceRequest and Task ids.</summary>
public sealed record ReferralIds(string ServiceRequest, string Task);
