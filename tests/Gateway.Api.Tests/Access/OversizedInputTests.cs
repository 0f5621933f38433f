using System.Net;
using System.Text;
using Gateway.Api.Tests.Records;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Access;

/// <summary>A gateway with small record limits, so the tests send kilobytes, not megabytes.</summary>
public sealed class SmallRecordLimitsGateway : GatewayApp
{
    public const int FieldLength = 1000;
    public const int RecordBytes = 8 * 1024;
    public const int BatchBytes = 64 * 1024;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Gateway:Records:MaxFieldLength", FieldLength.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Gateway:Records:MaxRecordBytes", RecordBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Gateway:Records:MaxBatchBytes", BatchBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];
}

/// <summary>
/// Issue 17 item 11: parts of a request bigger than any real one (a repeating element, a record
/// field, a record, a batch) are refused before the work they would cost, naming the place.
/// </summary>
public sealed class OversizedInputTests(SmallRecordLimitsGateway gateway) : IClassFixture<SmallRecordLimitsGateway>
{
    [Fact]
    public async Task A_patient_with_300000_given_names_is_413_naming_the_element_and_stores_nothing()
    {
        var given = string.Join(",", Enumerable.Range(0, 300_000).Select(i => "\"n" + (i % 100_000) + "\""));
        var body = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Okafor\",\"given\":[" + given + "]}]}";
        var before = await gateway.CountResourcesAsync();

        using var response = await gateway.Client.SendAsync(HttpMethod.Post, "Patient", FhirHttp.Content(body, FhirHttp.Json));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var issue = Assert.Single((await response.ReadOutcomeAsync()).Issue);
        Assert.Equal(OperationOutcome.IssueType.TooLong, issue.Code);
        Assert.Equal("Patient.name[0].given", Assert.Single(issue.Expression));
        Assert.Equal(before, await gateway.CountResourcesAsync());
    }

    [Fact]
    public async Task A_record_field_over_the_limit_is_422_naming_the_field_and_not_kept()
    {
        using var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var record = "{\"format\":\"housing-case/v1\",\"messageId\":\"long-field\",\"notes\":\"" + new string('x', SmallRecordLimitsGateway.FieldLength + 1) + "\"}";

        using var response = await housing.PostRecordAsync(record);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var issue = Assert.Single((await response.ReadOutcomeAsync()).Issue);
        Assert.Equal("$.notes", issue.Location.Single());
        Assert.Equal(0L, await RecordCountAsync("long-field"));
    }

    [Fact]
    public async Task A_record_over_the_size_limit_is_413_and_not_kept()
    {
        using var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var notes = string.Join(",", Enumerable.Range(0, 20).Select(_ => "\"" + new string('y', 500) + "\""));
        var record = "{\"format\":\"housing-case/v1\",\"messageId\":\"big-record\",\"notes\":[" + notes + "]}";

        using var response = await housing.PostRecordAsync(record);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(OperationOutcome.IssueType.TooLong, (await response.ReadOutcomeAsync()).Issue[0].Code);
        Assert.Equal(0L, await RecordCountAsync("big-record"));
    }

    [Fact]
    public async Task A_csv_row_with_a_field_over_the_limit_is_rejected_without_keeping_the_field()
    {
        using var welfare = await gateway.CreateClientAsync(TestPartners.Welfare);
        var sample = Samples.Read("wor-export/2026-10-31-wor-kampen.csv").Split('\n');
        var header = sample[0].TrimEnd('\r');
        var columns = header.Split(';').Length;
        var row = string.Join(";", Enumerable.Range(0, columns).Select(i => i == 0 ? new string('z', SmallRecordLimitsGateway.FieldLength + 1) : ""));

        using var response = await welfare.PostBatchAsync("wor-export/v1", Encoding.UTF8.GetBytes(header + "\n" + row + "\n"), "text/csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = (await response.JsonAsync()).GetProperty("records")[0];
        Assert.Equal("rejected", report.GetProperty("outcome").GetString());
        Assert.Contains("row 1, column", report.GetProperty("issues")[0].GetProperty("location").GetString(), StringComparison.Ordinal);
        await using var kept = gateway.Database.CreateCommand("select count(*) from partner_record where length(body) > $1");
        kept.Parameters.Add(new() { Value = SmallRecordLimitsGateway.FieldLength });
        Assert.Equal(0L, (long)(await kept.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_batch_over_the_size_limit_is_413_outcome()
    {
        using var welfare = await gateway.CreateClientAsync(TestPartners.Welfare);
        var body = "[" + string.Join(",", Enumerable.Range(0, 200).Select(i => "{\"format\":\"housing-case/v1\",\"messageId\":\"batch-" + i + "\",\"notes\":\"" + new string('b', 400) + "\"}")) + "]";

        using var response = await welfare.PostBatchAsync("housing-case/v1", Encoding.UTF8.GetBytes(body), "application/json");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(OperationOutcome.IssueType.TooLong, (await response.ReadOutcomeAsync()).Issue[0].Code);
    }

    private async Task<long> RecordCountAsync(string key)
    {
        await using var count = gateway.Database.CreateCommand("select count(*) from partner_record where record_key = $1");
        count.Parameters.Add(new() { Value = key });
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
