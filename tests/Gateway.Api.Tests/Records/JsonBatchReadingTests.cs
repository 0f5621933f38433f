using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Api.Tests.Workflow;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Records;

/// <summary>
/// A JSON batch (housing-case/v1 as an array) is read a record at a time from the buffered body,
/// not parsed whole (issue 18: memory flat with the file's size). A batch of a few megabytes (kept
/// in a temporary file, read back in buffers that end inside records and inside multi-byte
/// characters) gives every record its own report, in order, and applies the one with a real
/// referral from its exact text; a malformed batch is refused before any record is stored.
/// </summary>
public sealed class JsonBatchReadingTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private const int Records = 500;

    // About 7 KB a record, with two- and three-byte characters: the batch is ~4 MB.
    private static readonly string Padding = string.Concat(Enumerable.Repeat("Zoë woont alleen — ", 330));

    [Fact]
    public async System.Threading.Tasks.Task A_batch_of_megabytes_reports_every_record_in_order_and_applies_the_real_one_from_its_exact_text()
    {
        var referral = await Referrals.SendUkSampleAsync(gateway.Client);
        var request = await (await gateway.Client.GetAsync($"ServiceRequest/{referral.RequestId}")).ReadResourceAsync<ServiceRequest>();
        var patient = await (await gateway.Client.GetAsync($"Patient/{referral.PatientId}")).ReadResourceAsync<Patient>();
        var prefix = Guid.NewGuid().ToString("N")[..8];
        // Every record but the last names a referral nobody made; the last is the real one, with the padding in its notes.
        var records = Enumerable.Range(0, Records)
            .Select(i => Record(i == Records - 1
                ? RecordHttp.HousingCase("01-engaged-with-ons4.json", request.Identifier.Single().Value, patient.Identifier.Single().Value, $"{prefix}-{i}")
                : RecordHttp.HousingCase("01-engaged-with-ons4.json", $"NOBODY-{prefix}-{i}", patient.Identifier.Single().Value, $"{prefix}-{i}")))
            .ToList();
        var body = Encoding.UTF8.GetBytes("[\n  " + string.Join(",\n  ", records) + "\n]");
        Assert.True(body.Length > 3_000_000, $"the batch is {body.Length} bytes");

        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        using var response = await housing.PostBatchAsync("housing-case/v1", body, "application/json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reports = (await response.JsonAsync()).GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(0, Records).Select(i => $"{prefix}-{i}"), reports.Select(r => r.GetProperty("recordKey").GetString()));
        Assert.All(reports[..^1], r => Assert.Equal("rejected", r.GetProperty("outcome").GetString()));
        Assert.Equal("accepted", reports[^1].GetProperty("outcome").GetString());
        var stored = await (await housing.GetAsync($"../records/{reports[^1].GetProperty("recordId").GetString()}")).JsonAsync();
        Assert.Equal(Padding, JsonNode.Parse(stored.GetProperty("body").GetString()!)!["notes"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("[{\"format\":\"housing-case/v1\",\"messageId\":\"M\"}, {\"format\": }]", "line 1")]
    [InlineData("[{\"format\":\"housing-case/v1\",\"messageId\":\"M\"}", "line 1")]
    [InlineData("[{\"format\":\"housing-case/v1\",\"messageId\":\"M\"}] trailing", "line 1")]
    [InlineData("", "line 1")]
    public async System.Threading.Tasks.Task A_malformed_batch_is_400_naming_where_and_stores_nothing(string template, string where)
    {
        var key = Guid.NewGuid().ToString("N");
        // The malformed part comes after a megabyte of good records, past the in-memory buffer.
        var good = string.Join(",", Enumerable.Range(0, 400).Select(i => $"{{\"format\":\"housing-case/v1\",\"messageId\":\"{key}-{i}\",\"notes\":\"{new string('x', 3000)}\"}}"));
        var body = template.Length == 0 ? "" : template.Replace("[{", "[" + good + ",{", StringComparison.Ordinal).Replace("\"M\"", $"\"{key}-last\"", StringComparison.Ordinal);

        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        using var response = await housing.PostBatchAsync("housing-case/v1", Encoding.UTF8.GetBytes(body), "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"The batch is not valid JSON ({where}", (await response.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
        await using var count = gateway.Database.CreateCommand("select count(*) from partner_record where record_key like $1");
        count.Parameters.Add(new() { Value = key + "%" });
        Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_batch_that_is_not_an_array_is_400_and_one_with_a_byte_order_mark_is_read()
    {
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);

        using var notArray = await housing.PostBatchAsync("housing-case/v1", Encoding.UTF8.GetBytes("{\"format\":\"housing-case/v1\"}"), "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, notArray.StatusCode);
        Assert.Contains("A JSON batch is an array of records", (await notArray.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);

        var key = Guid.NewGuid().ToString("N");
        var withMark = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes($"[{{\"format\":\"housing-case/v1\",\"messageId\":\"{key}\"}}]")).ToArray();
        using var marked = await housing.PostBatchAsync("housing-case/v1", withMark, "application/json");
        Assert.Equal(HttpStatusCode.OK, marked.StatusCode);
        Assert.Equal(key, (await marked.JsonAsync()).GetProperty("records")[0].GetProperty("recordKey").GetString());
    }

    private static string Record(string json)
    {
        var record = JsonNode.Parse(json)!;
        record["notes"] = Padding;
        return record.ToJsonString();
    }
}
