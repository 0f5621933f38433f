using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Testing;

namespace Gateway.Api.Tests.Records;

/// <summary>The record API over HTTP, as a partner's system calls it (the clients' base is /fhir/, so paths go up one).</summary>
internal static class RecordHttp
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
}
