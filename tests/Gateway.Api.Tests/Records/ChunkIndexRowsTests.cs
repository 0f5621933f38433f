using System.Globalization;
using System.Text;
using Gateway.Fhir.Serialization;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Records;

/// <summary>
/// Issue 18, seventh pass: a chunk replaces only the index rows of its Tasks (and the referrals
/// completing with them) that their newest version changes; the referral feed's rows follow the
/// Tasks' current rows (migration 0044's trigger). What the index holds afterwards must be exactly the newest versions' rows, so every
/// search answers as if all of them had been written again, and the feed lists the moved Tasks.
/// </summary>
public sealed class ChunkIndexRowsTests(FiveRecordChunksGatewayApp gateway) : IClassFixture<FiveRecordChunksGatewayApp>
{
    // Referral 1 moved twice in the chunk, referral 2 moved and completed, referral 3 moved once.
    private static readonly string[] RowsOfFile =
    [
        "{1};intake_gehad;02-10-2026;;02-10-2026;5;4;3,5;4;2;6",
        "{2};intake_gehad;02-10-2026;;02-10-2026;6;6;6;6;6;6",
        "{1};arrangement_gestart;15-10-2026;Wandelgroep;;;;;;;",
        "{3};intake_gepland;01-10-2026;;;;;;;;",
        "{2};afgerond;28-10-2026;Wandelgroep;28-10-2026;8;8;8;8;8;8",
    ];

    [Fact]
    public async System.Threading.Tasks.Task After_a_chunk_the_index_holds_exactly_the_newest_versions_rows_and_the_feed_lists_the_moves()
    {
        var gp = await gateway.CreateClientAsync(TestPartners.DutchGp);
        var welfare = await gateway.CreateClientAsync(TestPartners.Welfare);
        await ChunkedBatchTests.ReferAsync(gp, "REINDEX", 3);
        var since = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"));

        using var response = await welfare.PostBatchAsync("wor-export/v1", Csv("REINDEX"), "text/csv");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.All((await response.JsonAsync()).GetProperty("records").EnumerateArray(), r => Assert.Equal("accepted", r.GetProperty("outcome").GetString()));

        var written = await CurrentAsync("REINDEX");
        Assert.Equal(3, written.Count(w => w.Resource is Hl7.Fhir.Model.Task));
        foreach (var (key, resource) in written)
        {
            Assert.Equal(IndexRowLines.Expected(resource), await IndexRowLines.StoredAsync(gateway.Database, key));
        }

        foreach (var task in written.Select(w => w.Resource).OfType<Hl7.Fhir.Model.Task>())
        {
            // The newest status finds the Task; the status it was routed with no longer does.
            Assert.Equal(1, await MatchesAsync(welfare, $"Task?_id={task.Id}&status={Hl7.Fhir.Utility.EnumUtility.GetLiteral(task.Status)}"));
            Assert.Equal(0, await MatchesAsync(welfare, $"Task?_id={task.Id}&status=requested"));
        }

        // Moved by the chunk, so in the owner's feed since the send.
        var feed = await (await welfare.GetAsync($"../records/referrals?since={since}")).Content.ReadAsStringAsync();
        Assert.All(written.Select(w => w.Resource).OfType<Hl7.Fhir.Model.Task>(), task => Assert.Contains(task.Id, feed, StringComparison.Ordinal));
    }

    private static async System.Threading.Tasks.Task<int> MatchesAsync(HttpClient client, string search)
    {
        using var response = await client.GetAsync(search);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.ReadResourceAsync<Bundle>()).Entry.Count(e => e.Search?.Mode == Bundle.SearchEntryMode.Match);
    }

    // The referrals' Tasks and ServiceRequests as stored now, with their keys.
    private async System.Threading.Tasks.Task<List<(long Key, Resource Resource)>> CurrentAsync(string prefix)
    {
        await using var command = gateway.Database.CreateCommand($"""
            select r.resource_key, v.body::text from resource r
            join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            where r.resource_key in (
                select s.resource_key from search_token s where s.resource_type = 'ServiceRequest' and s.param = 'identifier' and s.code like '{prefix}-%'
                union
                select x.resource_key from search_reference x
                join resource s on s.resource_type = 'ServiceRequest' and s.resource_id = x.target_id
                join search_token t on t.resource_key = s.resource_key and t.param = 'identifier' and t.code like '{prefix}-%'
                where x.resource_type = 'Task' and x.param = 'focus')
            """);
        var found = new List<(long, Resource)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found.Add((reader.GetInt64(0), FhirSerialization.FromStoredJson(reader.GetString(1))));
        }

        return found;
    }

    private static byte[] Csv(string prefix)
    {
        var header = Samples.Read("wor-export/2026-10-31-wor-kampen.csv").TrimStart('\uFEFF').Split('\n')[0].TrimEnd('\r');
        var csv = new StringBuilder(header).Append('\n');
        foreach (var row in RowsOfFile)
        {
            var fields = row.Split(';');
            var referral = ChunkedBatchTests.Verwijzing(prefix, int.Parse(fields[0].Trim('{', '}'), CultureInfo.InvariantCulture));
            csv.Append(CultureInfo.InvariantCulture, $"{referral};{TestPartners.DutchGpAgb};Client{fields[0].Trim('{', '}')};14-02-1948;8261 AB;{fields[1]};{fields[2]};A. Bakker;{fields[3]};{string.Join(';', fields[4..])};ja;Terugkoppeling\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }
}
