using System.Net.Http.Headers;
using System.Text;
using Gateway.Api.Tests.Workflow;
using Gateway.Fhir.Access;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Npgsql;

namespace Gateway.Api.Tests.Records;

/// <summary>
/// A gateway killed (SIGKILL) in the middle of a wor-export batch applied in chunks (issue 18):
/// every chunk committed is applied whole, the one interrupted not at all; after a restart every row is
/// either applied once or still pending, none lost, none applied twice; sending the file again
/// finishes the pending rows and leaves the applied ones unchanged.
/// </summary>
public sealed class RecordBatchCrashTests
{
    private const int Rows = 300;

    // Chunks much smaller than the file, so the kill lands between (or in) chunks, not after the last.
    private const int Chunk = 20;

    private static readonly KeyValuePair<string, string>[] ChunksOf20 = [new("Gateway:Records:ChunkRows", Chunk.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public async System.Threading.Tasks.Task Killing_the_gateway_mid_batch_loses_no_row_and_applies_none_twice()
    {
        var connectionString = await PostgresCluster.CreateDatabaseAsync(nameof(RecordBatchCrashTests));
        var partners = new TestPartners();
        var partnersFile = Path.Combine(Path.GetTempPath(), $"gateway-partners-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(partnersFile, partners.Json);
        var file = Encoding.UTF8.GetBytes(Csv());

        await using (var gateway = await GatewayProcess.StartAsync(connectionString, partnersFile, ChunksOf20))
        {
            using var gp = await Client(gateway, partners, TestPartners.DutchGp);
            for (var i = 0; i < Rows; i += 50)
            {
                await ReferAsync(gp, i, 50);
            }

            using var welfare = await Client(gateway, partners, TestPartners.Welfare);
            using var request = new HttpRequestMessage(HttpMethod.Post, "../records/batch?format=wor-export/v1") { Content = new ByteArrayContent(file) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            using var response = await welfare.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await using var stream = await response.Content.ReadAsStreamAsync();

            // Kill it once a few rows are reported, while the rest are still being processed.
            var seen = new StringBuilder();
            var buffer = new byte[256];
            while (Count(seen.ToString(), "\"outcome\"") < 8)
            {
                var read = await stream.ReadAsync(buffer);
                Assert.True(read > 0, "The batch finished before the test could kill the gateway: " + seen);
                seen.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }

            gateway.Kill();
        }

        await using var database = NpgsqlDataSource.Create(connectionString);
        var states = await States(database);
        Assert.True(states.GetValueOrDefault("applied") >= 8, $"Expected at least the 8 reported rows applied: {Describe(states)}");
        Assert.True(states.GetValueOrDefault("applied") < Rows, $"Expected the kill to leave rows unprocessed: {Describe(states)}");
        Assert.Equal(0, states.GetValueOrDefault("rejected"));
        // A chunk commits whole or not at all: the one the kill interrupted left nothing applied.
        Assert.Equal(0, states.GetValueOrDefault("applied") % Chunk);
        // Applied rows moved their Task exactly once (requested, accepted, in-progress: 3 versions); the others not at all.
        Assert.Equal(states.GetValueOrDefault("applied"), await Scalar(database, "select count(*) from resource where resource_type = 'Task' and version = 3"));
        Assert.Equal(Rows - states.GetValueOrDefault("applied"), await Scalar(database, "select count(*) from resource where resource_type = 'Task' and version = 1"));

        await using (var restarted = await GatewayProcess.StartAsync(connectionString, partnersFile, ChunksOf20))
        {
            using var welfare = await Client(restarted, partners, TestPartners.Welfare);
            var content = new ByteArrayContent(file);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            using var again = await welfare.PostAsync("../records/batch?format=wor-export/v1", content);
            var summary = (await again.JsonAsync()).GetProperty("summary");
            Assert.Equal(states.GetValueOrDefault("applied"), summary.GetProperty("unchanged").GetInt32());
            Assert.Equal(Rows - states.GetValueOrDefault("applied"), summary.GetProperty("accepted").GetInt32());
        }

        Assert.Equal(Rows, await Scalar(database, "select count(*) from partner_record where state = 'applied'"));
        Assert.Equal(Rows, await Scalar(database, "select count(*) from resource where resource_type = 'Task' and version = 3"));
        Assert.Equal(Rows, await Scalar(database, "select count(*) from resource where resource_type = 'QuestionnaireResponse'"));
    }

    private static string Csv()
    {
        var csv = new StringBuilder("verwijzing_id;verwijzer_agb;achternaam;geboortedatum;postcode;status;status_datum;welzijnscoach;arrangement;pg_meetdatum;pg_lichaamsfuncties;pg_mentaal_welbevinden;pg_zingeving;pg_kwaliteit_van_leven;pg_meedoen;pg_dagelijks_functioneren;toestemming_delen;terugkoppeling\n");
        for (var i = 0; i < Rows; i++)
        {
            csv.Append($"CRASH-{i:D4};{TestPartners.DutchGpAgb};Client{i};14-02-1948;8261 AB;intake_gehad;02-10-2026;A. Bakker;;02-10-2026;5;4;3,5;4;2;6;ja;Intake gehad\n");
        }

        return csv.ToString();
    }

    // Fifty referrals a transaction: Patient, Consent and ServiceRequest each.
    private static async System.Threading.Tasks.Task ReferAsync(HttpClient gp, int first, int count)
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        for (var i = first; i < first + count; i++)
        {
            var patientUrl = "urn:uuid:" + Guid.NewGuid();
            var patient = Resources.Patient(family: $"Client{i}");
            patient.Identifier = [new Identifier(DataMinimisation.BsnSystem, Referrals.NewBsn())];
            patient.BirthDate = "1948-02-14";
            var consent = Resources.Consent("x", TestPartners.Welfare);
            consent.Patient = new ResourceReference(patientUrl);
            var referral = Resources.ServiceRequest("x", TestPartners.DutchGp, TestPartners.Welfare);
            referral.Subject = new ResourceReference(patientUrl);
            referral.Identifier = [new Identifier("https://de-brug.example/verwijzingen", $"CRASH-{i:D4}")];
            bundle.Entry.Add(new() { FullUrl = patientUrl, Resource = patient, Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Patient" } });
            bundle.Entry.Add(new() { Resource = consent, Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Consent" } });
            bundle.Entry.Add(new() { Resource = referral, Request = new() { Method = Bundle.HTTPVerb.POST, Url = "ServiceRequest" } });
        }

        using var response = await gp.PostBundleAsync(bundle);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async System.Threading.Tasks.Task<HttpClient> Client(GatewayProcess gateway, TestPartners partners, string partner)
    {
        var client = new HttpClient { BaseAddress = gateway.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", await partners.RequestTokenAsync(gateway.TokenEndpoint, partner + "-client", "system/*.cruds gateway/records.write"));
        return client;
    }

    private static async System.Threading.Tasks.Task<Dictionary<string, int>> States(NpgsqlDataSource database)
    {
        var states = new Dictionary<string, int>();
        await using var command = database.CreateCommand("select state, count(*) from partner_record group by state");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            states[reader.GetString(0)] = (int)reader.GetInt64(1);
        }

        return states;
    }

    private static string Describe(Dictionary<string, int> states) => string.Join(", ", states.Select(s => $"{s.Key} {s.Value}"));

    private static async System.Threading.Tasks.Task<int> Scalar(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
