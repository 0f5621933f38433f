using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.Api.Tests.Workflow;
using Gateway.Fhir.Access;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Records;

/// <summary>A gateway that applies batches in chunks of five records, so a short file spans several chunks.</summary>
public sealed class FiveRecordChunksGatewayApp : GatewayApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Gateway:Records:ChunkRows", "5")];
}

/// <summary>A gateway that applies every record alone, one after another: the row-at-a-time path the chunked one must answer like.</summary>
public sealed class OneRecordChunksGatewayApp : GatewayApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [new("Gateway:Records:ChunkRows", "1"), new("Gateway:Records:ChunksAtOnce", "1")];
}

/// <summary>
/// Issue 18: a wor-export file applied in chunks keeps the row-at-a-time guarantees. A row that
/// fails mid-chunk (before it wrote, or after) does not sink its chunk, and every row gets the
/// report the row-at-a-time path gives; the same file sent again and sent at once applies each row once.
/// </summary>
public sealed class ChunkedBatchTests(FiveRecordChunksGatewayApp chunked, OneRecordChunksGatewayApp alone)
    : IClassFixture<FiveRecordChunksGatewayApp>, IClassFixture<OneRecordChunksGatewayApp>
{
    private const int Rows = 12;

    // Row 3's referral is revoked first: its measurement is written, then its Task may not move (a failure after writing).
    private const int RevokedRow = 3;

    // Row 7 names a referral nobody made: refused before it writes anything.
    private const int UnknownRow = 7;

    [Fact]
    public async System.Threading.Tasks.Task Rows_failing_mid_chunk_leave_the_rest_applied_with_the_reports_of_the_row_at_a_time_path()
    {
        var chunkedReports = await SendWithFailuresAsync(chunked, "MID");
        var aloneReports = await SendWithFailuresAsync(alone, "MID");

        Assert.Equal(Normalised(aloneReports), Normalised(chunkedReports));
        Assert.Equal("rejected", chunkedReports[RevokedRow - 1].GetProperty("outcome").GetString());
        Assert.Equal("rejected", chunkedReports[UnknownRow - 1].GetProperty("outcome").GetString());
        Assert.Equal(Rows - 2, chunkedReports.Count(r => r.GetProperty("outcome").GetString() == "accepted"));

        // Every other row applied once: its Task moved (requested, accepted, in-progress) and one measurement; the revoked one kept none.
        Assert.Equal(Rows - 2, await Scalar(chunked, "select count(*) from partner_record where state = 'applied' and record_key like '%|MID-%'"));
        Assert.Equal(Rows - 2, await Scalar(chunked, PointingAtReferrals("QuestionnaireResponse", "based-on", "MID") + " and r.version = 1"));
        Assert.Equal(Rows - 2, await Scalar(chunked, PointingAtReferrals("Task", "focus", "MID") + " and r.version = 3"));
    }

    [Fact]
    public async System.Threading.Tasks.Task The_same_file_sent_three_times_at_once_and_then_again_applies_each_row_once()
    {
        var gp = await chunked.CreateClientAsync(TestPartners.DutchGp);
        var welfare = await chunked.CreateClientAsync(TestPartners.Welfare);
        await ReferAsync(gp, "TWICE", Rows);
        var file = Csv("TWICE", Rows);

        var uploads = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 3).Select(_ => welfare.PostBatchAsync("wor-export/v1", file, "text/csv")));

        var reports = await System.Threading.Tasks.Task.WhenAll(uploads.Select(async u => (await u.JsonAsync()).GetProperty("records").EnumerateArray().ToList()));
        for (var row = 0; row < Rows; row++)
        {
            var outcomes = reports.Select(r => r[row].GetProperty("outcome").GetString()).ToList();
            Assert.Single(outcomes, o => o == "accepted");
            Assert.Equal(2, outcomes.Count(o => o == "unchanged"));
            // A copy answered unchanged names what the applying one produced.
            var produced = reports.Select(r => r[row].GetProperty("produced").ToString()).Distinct().ToList();
            Assert.Single(produced);
        }

        using var again = await welfare.PostBatchAsync("wor-export/v1", file, "text/csv");
        Assert.All((await again.JsonAsync()).GetProperty("records").EnumerateArray(), r => Assert.Equal("unchanged", r.GetProperty("outcome").GetString()));
        Assert.Equal(Rows, await Scalar(chunked, "select count(*) from partner_record where state = 'applied' and record_key like '%|TWICE-%'"));
        Assert.Equal(Rows, await Scalar(chunked, PointingAtReferrals("QuestionnaireResponse", "based-on", "TWICE") + " and r.version = 1"));
        Assert.Equal(Rows, await Scalar(chunked, PointingAtReferrals("Task", "focus", "TWICE") + " and r.version = 3"));
    }

    // A chunk's Task moves are not asked again whether the provider may see what they point at
    // (the version before named the same referral and patient, which ReferenceRules lets stand),
    // but its measurements still are: after row 3's patient withdrew the Consent, the chunk must not
    // store a measurement for that referral, and every row is reported as the row-at-a-time path does.
    [Fact]
    public async System.Threading.Tasks.Task A_row_whose_patient_withdrew_consent_gets_no_measurement_and_the_rest_apply_as_row_at_a_time()
    {
        var chunkedReports = await SendAfterConsentWithdrawnAsync(chunked, "WDR");
        var aloneReports = await SendAfterConsentWithdrawnAsync(alone, "WDR");

        Assert.Equal(Normalised(aloneReports), Normalised(chunkedReports));
        Assert.Equal("rejected", chunkedReports[RevokedRow - 1].GetProperty("outcome").GetString());
        Assert.Equal(Rows - 1, chunkedReports.Count(r => r.GetProperty("outcome").GetString() == "accepted"));
        Assert.Equal(Rows - 1, await Scalar(chunked, PointingAtReferrals("QuestionnaireResponse", "based-on", "WDR")));
        Assert.Equal(Rows - 1, await Scalar(chunked, PointingAtReferrals("Task", "focus", "WDR") + " and r.version = 3"));
    }

    /// <summary>Makes the referrals, withdraws row 3's patient's Consent (the GP's PUT of it as inactive), sends the file; the per-row reports.</summary>
    private static System.Threading.Tasks.Task<List<JsonElement>> SendAfterConsentWithdrawnAsync(GatewayApp gateway, string prefix) =>
        SendAfterChangingRevokedRowAsync(gateway, prefix, async (gp, referral) =>
        {
            var consent = (Consent)(await gp.SearchAsync($"Consent?patient={referral.Subject.Reference}")).Entry.Single().Resource;
            consent.Status = Consent.ConsentState.Inactive;
            return await gp.PutAsync($"Consent/{consent.Id}", consent);
        });

    /// <summary>Makes the referrals, revokes row 3's, sends the file with row 7 naming no referral; the per-row reports.</summary>
    private static System.Threading.Tasks.Task<List<JsonElement>> SendWithFailuresAsync(GatewayApp gateway, string prefix) =>
        SendAfterChangingRevokedRowAsync(gateway, prefix, (gp, referral) =>
        {
            referral.Status = RequestStatus.Revoked;
            return gp.PutAsync($"ServiceRequest/{referral.Id}", referral);
        }, file => file.Replace(Verwijzing(prefix, UnknownRow), prefix + "-NOBODY", StringComparison.Ordinal));

    // The GP makes the referrals and changes row 3's (the change must succeed), then the welfare organisation sends the file.
    private static async System.Threading.Tasks.Task<List<JsonElement>> SendAfterChangingRevokedRowAsync(GatewayApp gateway, string prefix,
        Func<HttpClient, ServiceRequest, System.Threading.Tasks.Task<HttpResponseMessage>> change, Func<string, string>? edit = null)
    {
        var gp = await gateway.CreateClientAsync(TestPartners.DutchGp);
        var welfare = await gateway.CreateClientAsync(TestPartners.Welfare);
        await ReferAsync(gp, prefix, Rows);
        var referral = (ServiceRequest)(await gp.SearchAsync($"ServiceRequest?identifier={Verwijzing(prefix, RevokedRow)}")).Entry.Single().Resource;
        using (var changed = await change(gp, referral))
        {
            Assert.True(changed.IsSuccessStatusCode, await changed.Content.ReadAsStringAsync());
        }

        var file = Encoding.UTF8.GetString(Csv(prefix, Rows));
        using var response = await welfare.PostBatchAsync("wor-export/v1", Encoding.UTF8.GetBytes(edit is null ? file : edit(file)), "text/csv");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).GetProperty("records").EnumerateArray().ToList();
    }

    // The reports without what differs between two gateways: record and resource ids.
    internal static List<string> Normalised(List<JsonElement> reports) =>
        reports.Select(r => Regex.Replace(r.ToString(), "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>")).ToList();

    // Resources of the type that point (by the search parameter) at the ServiceRequests whose verwijzing id starts with the prefix.
    internal static string PointingAtReferrals(string type, string param, string prefix) => $"""
        select count(*) from resource r
        join search_reference x on x.resource_key = r.resource_key and x.param = '{param}' and x.target_type = 'ServiceRequest'
        join resource s on s.resource_type = 'ServiceRequest' and s.resource_id = x.target_id
        join search_token t on t.resource_key = s.resource_key and t.param = 'identifier' and t.code like '{prefix}-%'
        where r.resource_type = '{type}'
        """;

    internal static string Verwijzing(string prefix, int row) => $"{prefix}-{row:D4}";

    private static byte[] Csv(string prefix, int rows)
    {
        var header = Samples.Read("wor-export/2026-10-31-wor-kampen.csv").TrimStart('\uFEFF').Split('\n')[0].TrimEnd('\r');
        var csv = new StringBuilder(header).Append('\n');
        for (var row = 1; row <= rows; row++)
        {
            csv.Append($"{Verwijzing(prefix, row)};{TestPartners.DutchGpAgb};Client{row};14-02-1948;8261 AB;intake_gehad;02-10-2026;A. Bakker;;02-10-2026;5;4;3,5;4;2;6;ja;Intake gehad\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    // One transaction: Patient, Consent and ServiceRequest for each row, routed to the welfare organisation.
    internal static async System.Threading.Tasks.Task ReferAsync(HttpClient gp, string prefix, int rows)
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        for (var row = 1; row <= rows; row++)
        {
            var patientUrl = "urn:uuid:" + Guid.NewGuid();
            var patient = Resources.Patient(family: $"Client{row}");
            patient.Identifier = [new Identifier(DataMinimisation.BsnSystem, Referrals.NewBsn())];
            patient.BirthDate = "1948-02-14";
            var consent = Resources.Consent("x", TestPartners.Welfare);
            consent.Patient = new ResourceReference(patientUrl);
            var referral = Resources.ServiceRequest("x", TestPartners.DutchGp, TestPartners.Welfare);
            referral.Subject = new ResourceReference(patientUrl);
            referral.Identifier = [new Identifier("https://de-brug.example/verwijzingen", Verwijzing(prefix, row))];
            bundle.Entry.Add(new() { FullUrl = patientUrl, Resource = patient, Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Patient" } });
            bundle.Entry.Add(new() { Resource = consent, Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Consent" } });
            bundle.Entry.Add(new() { Resource = referral, Request = new() { Method = Bundle.HTTPVerb.POST, Url = "ServiceRequest" } });
        }

        using var response = await gp.PostBundleAsync(bundle);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    internal static async System.Threading.Tasks.Task<long> Scalar(GatewayApp gateway, string sql)
    {
        await using var command = gateway.Database.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
