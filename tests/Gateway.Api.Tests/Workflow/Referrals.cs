using System.Net;
using Gateway.Fhir.Access;
using Gateway.Testing;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Api.Tests.Workflow;

/// <summary>A referral as the workflow tests send it: the ids of what the GP's transaction made.</summary>
internal sealed record SentReferral(string PatientId, string RequestId, string ConsentId);

/// <summary>Sends referrals and moves their Tasks over HTTP, as GP and provider systems do.</summary>
internal static class Referrals
{
    public const string ActivitySystem = "https://interop-gateway.example/fhir/CodeSystem/social-prescribing-activity";
    public const string OutputTypeSystem = "https://interop-gateway.example/fhir/CodeSystem/task-output-type";

    /// <summary>
    /// The GP sample transaction (shared/samples/gp) with a fresh NHS number and referral id; its
    /// consent names the test housing provider (ODS HFX09) instead of the sample's HFX01.
    /// </summary>
    public static async Task<SentReferral> SendUkSampleAsync(HttpClient gp, string? postcode = null, bool withConsent = true)
    {
        var json = Samples.Read("gp/referral-transaction.json")
            .Replace("9995908301", Resources.NewNhsNumber(), StringComparison.Ordinal)
            .Replace("SP-2026-1187", "SP-" + Guid.NewGuid().ToString("N"), StringComparison.Ordinal)
            .Replace("|HFX01", "|HFX09", StringComparison.Ordinal)
            .Replace("WS2 8LD", postcode ?? "WS2 8LD", StringComparison.Ordinal);
        var bundle = FhirHttp.Parse<Bundle>(json);
        if (!withConsent)
        {
            bundle.Entry.RemoveAt(1);
            ((ServiceRequest)bundle.Entry[1].Resource).SupportingInfo.Clear();
        }

        using var response = await gp.PostBundleAsync(bundle);
        var result = await response.ReadResourceAsync<Bundle>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ids = result.Entry.Select(e => e.Response.Location.Split('/')[1]).ToList();
        return withConsent ? new SentReferral(ids[0], ids[2], ids[1]) : new SentReferral(ids[0], ids[1], "");
    }

    /// <summary>A Dutch referral: a patient with a BSN in Kampen (postcode 8261), the consent naming the test welfare organisation.</summary>
    public static async Task<SentReferral> SendDutchAsync(HttpClient gp)
    {
        var patient = Resources.Patient();
        patient.Identifier = [new Identifier(DataMinimisation.BsnSystem, NewBsn())];
        patient.Address = [new Address { Line = ["Oudestraat 12"], City = "Kampen", PostalCode = "8261 CJ", Country = "NL" }];
        var stored = await gp.CreateAsync(patient);
        var consent = await gp.CreateAsync(Resources.Consent(stored.Id, TestPartners.Welfare));
        var request = await gp.CreateAsync(Resources.ServiceRequest(stored.Id, TestPartners.Gp));
        return new SentReferral(stored.Id, request.Id, consent.Id);
    }

    /// <summary>Changes the Task and PUTs it with If-Match on its version; the answer is the client's to judge.</summary>
    public static Task<HttpResponseMessage> PutAsync(HttpClient client, FhirTask task, FhirTask.TaskStatus status, Action<FhirTask>? change = null)
    {
        var next = (FhirTask)task.DeepCopy();
        next.Status = status;
        change?.Invoke(next);
        return client.PutAsync($"Task/{task.Id}", next, ("If-Match", $"W/\"{task.Meta.VersionId}\""));
    }

    /// <summary>Moves the Task and returns the stored version; fails unless the move is accepted.</summary>
    public static async Task<FhirTask> MoveAsync(HttpClient client, FhirTask task, FhirTask.TaskStatus status, Action<FhirTask>? change = null)
    {
        using var response = await PutAsync(client, task, status, change);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Moving Task/{task.Id} to {status} answered {(int)response.StatusCode}: {body}");
        return FhirHttp.Parse<FhirTask>(body);
    }

    /// <summary>What the patient took up, and the outcome measure, as a completed Task carries them.</summary>
    public static void Outputs(FhirTask task, string questionnaireResponseId)
    {
        task.Output =
        [
            new FhirTask.OutputComponent
            {
                Type = new CodeableConcept(OutputTypeSystem, "resulting-activity"),
                Value = new CodeableConcept(ActivitySystem, "volunteering") { Text = "Helps at the Friday food bank" },
            },
            new FhirTask.OutputComponent
            {
                Type = new CodeableConcept(OutputTypeSystem, "additional-content"),
                Value = new ResourceReference($"QuestionnaireResponse/{questionnaireResponseId}"),
            },
        ];
    }

    public static CodeableConcept Reason(string text) => new() { Text = text };

    /// <summary>A BSN that passes the 11-test.</summary>
    public static string NewBsn()
    {
        while (true)
        {
            var digits = Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var sum = 0;
            for (var i = 0; i < 8; i++)
            {
                sum += (digits[i] - '0') * (9 - i);
            }

            // 11-test: 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is a multiple of 11.
            var last = sum % 11;
            if (last < 10)
            {
                return digits + last.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }
}
