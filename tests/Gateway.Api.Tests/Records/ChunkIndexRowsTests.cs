using System.Globalization;
using System.Text;
using Gateway.Fhir.Search.Index;
using Gateway.Fhir.Serialization;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Records;

/// <summary>
/// Issue 18, seventh pass: a chunk replaces only the index rows of its Tasks (and the referrals
/// completing with them) that their newest version changes, and moves the referral feed's rows
/// itself. What the index holds afterwards must be exactly the newest versions' rows, so every
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
            Assert.Equal(Expected(resource), await StoredAsync(key));
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

    // Every index row of the resource, one line each, sorted.
    private async System.Threading.Tasks.Task<List<string>> StoredAsync(long key)
    {
        await using var command = gateway.Database.CreateCommand($"""
            select 'token|' || param || '|' || coalesce(system, '-') || '|' || coalesce(code, '-') || '|' || coalesce(display, '-') from search_token where resource_key = {key}
            union all select 'string|' || param || '|' || normalized || '|' || exact from search_string where resource_key = {key}
            union all select 'date|' || param || '|' || {Instant("start_at")} || '|' || {Instant("end_at")} from search_date where resource_key = {key}
            union all select 'reference|' || param || '|' || coalesce(target_type, '-') || '|' || coalesce(target_id, '-') || '|' || coalesce(url, '-') from search_reference where resource_key = {key}
            union all select 'position|' || param || '|' || latitude::text || '|' || longitude::text from search_position where resource_key = {key}
            """);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private static string Instant(string column) =>
        $"case when isfinite({column}) then ((extract(epoch from {column}) * 1000000)::bigint)::text else {column}::text end";

    // What indexing the resource afresh gives.
    private static List<string> Expected(Resource resource)
    {
        var rows = SearchIndexer.Extract(resource);
        var lines = rows.Tokens.Select(t => $"token|{t.Param}|{t.System ?? "-"}|{t.Code ?? "-"}|{t.Text ?? "-"}")
            .Concat(rows.Strings.Select(s => $"string|{s.Param}|{s.Normalized}|{s.Exact}"))
            .Concat(rows.Dates.Select(d => $"date|{d.Param}|{Micros(d.Start)}|{Micros(d.End)}"))
            .Concat(rows.References.Select(r => $"reference|{r.Param}|{r.TargetType ?? "-"}|{r.TargetId ?? "-"}|{r.Url ?? "-"}"))
            .Concat(rows.Positions.Select(p => $"position|{p.Param}|{p.Latitude.ToString(CultureInfo.InvariantCulture)}|{p.Longitude.ToString(CultureInfo.InvariantCulture)}"))
            .ToList();
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static string Micros(DateTimeOffset instant) =>
        instant == DateTimeOffset.MinValue ? "-infinity"
        : instant == DateTimeOffset.MaxValue ? "infinity"
        : ((instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10).ToString(CultureInfo.InvariantCulture);

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
