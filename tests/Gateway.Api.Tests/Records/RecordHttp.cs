using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.Testing;

namespace Gateway.Api.Tests.Records;

/// <summary>The record API over HTTP, as a partner's system calls it (the clients' base is /fhir/, so paths go up one).</summary>
internal static partial class RecordHttp
{
    public static Task<HttpResponseMessage> PostRecordAsync(this HttpClient client, string json) =>
        client.PostAsync("../records", new StringContent(json, Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PostBatchAsync(this HttpClient client, string format, byte[] body, string mediaType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return client.PostAsync($"../records/batch?format={Uri.EscapeDataString(format)}", content);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>A new referral from the test GP (sent with <paramref name="gp"/>), and housing-case sample 01 about it from the test housing provider.</summary>
    public static async Task<(string RequestId, string Record)> ReferralWithHousingCaseAsync(HttpClient gp)
    {
        var referral = await Workflow.Referrals.SendUkSampleAsync(gp);
        var request = await (await gp.GetAsync($"ServiceRequest/{referral.RequestId}")).ReadResourceAsync<Hl7.Fhir.Model.ServiceRequest>();
        var patient = await (await gp.GetAsync($"Patient/{referral.PatientId}")).ReadResourceAsync<Hl7.Fhir.Model.Patient>();
        return (referral.RequestId, HousingCase("01-engaged-with-ons4.json", request.Identifier.Single().Value, patient.Identifier.Single().Value));
    }

    /// <summary>The invalid housing-case sample 04 from the test housing provider, under a message id of its own.</summary>
    public static string InvalidHousingCase() =>
        Samples.Read("housing-case/04-invalid.json").Replace("\"hfactor-housing\"", $"\"{TestPartners.Housing}\"", StringComparison.Ordinal)
            .Replace("e9f1b2c3-0000-4bad-9bad-000000000004", Guid.NewGuid().ToString(), StringComparison.Ordinal);

    /// <summary>The housing-case sample with its referral, NHS number and message id swapped for a test's own.</summary>
    public static string HousingCase(string sample, string referralId, string nhsNumber, string? messageId = null, string? statusChangedAt = null)
    {
        var json = Samples.Read("housing-case/" + sample)
            .Replace("SP-2026-1187", referralId, StringComparison.Ordinal)
            .Replace("9995908301", nhsNumber, StringComparison.Ordinal)
            .Replace("\"provider\": \"hfactor-housing\"", $"\"provider\": \"{TestPartners.Housing}\"", StringComparison.Ordinal);
        var document = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        document["messageId"] = messageId ?? Guid.NewGuid().ToString();
        if (statusChangedAt is not null)
        {
            document["statusChangedAt"] = statusChangedAt;
        }

        return document.ToJsonString();
    }

    /// <summary>The record as the log keeps it after the answer (a rejected one answers with an OperationOutcome and its Location).</summary>
    public static async Task<JsonElement> StoredAsync(HttpClient client, HttpResponseMessage response)
    {
        var location = response.StatusCode == System.Net.HttpStatusCode.OK
            ? "../records/" + (await response.JsonAsync()).GetProperty("recordId").GetString()
            : response.Headers.Location!.ToString().Replace("/records", "../records", StringComparison.Ordinal);
        return await (await client.GetAsync(location)).JsonAsync();
    }

    /// <summary>What a record's state says, its own ids, keys and times left out: the produced references by type and version.</summary>
    public static string Normalised(JsonElement record) =>
        string.Join("\n",
            record.GetProperty("state").GetString(),
            string.Join(";", record.GetProperty("issues").EnumerateArray().Select(i => i.GetRawText())),
            string.Join(";", record.GetProperty("produced").EnumerateArray().Select(p => Id().Replace(p.GetString()!, "/*/"))));

    [GeneratedRegex("/[^/]+/(?=_history/)")]
    private static partial Regex Id();
}
