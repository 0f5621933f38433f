using System.Text;
using System.Text.Json;
using Gateway.Testing;

namespace Gateway.Api.Tests.Records;

/// <summary>A gateway that applies chunks of five records, two chunks of a file at once (the default).</summary>
public sealed class TwoChunksAtOnceGatewayApp : GatewayApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [new("Gateway:Records:ChunkRows", "5"), new("Gateway:Records:ChunksAtOnce", "2")];
}

/// <summary>
/// Issue 18: a file's chunks are applied side by side, yet one referral's rows still go in the
/// file's order. The file below has chunks that share referrals with the chunk before them (they
/// must wait for it) and chunks that share none (they run beside it): every report and every
/// Task's end state is what the row-at-a-time path gives.
/// </summary>
public sealed class ChunksAtOnceTests(TwoChunksAtOnceGatewayApp atOnce, OneRecordChunksGatewayApp alone)
    : IClassFixture<TwoChunksAtOnceGatewayApp>, IClassFixture<OneRecordChunksGatewayApp>
{
    private const int Referrals = 10;

    // (first referral of five, status, date, with a measurement): a chunk of five rows each.
    private static readonly (int First, string Status, string Date, bool Measured)[] Chunks =
    [
        (1, "intake_gehad", "02-10-2026", true),
        (1, "arrangement_gestart", "15-10-2026", false), // the same referrals as the chunk before: waits for it
        (6, "intake_gehad", "03-10-2026", true),         // none of the chunk before's: runs beside it
        (6, "arrangement_gestart", "16-10-2026", false),
        (1, "afgerond", "31-10-2026", true),
    ];

    [Fact]
    public async Task Chunks_applied_side_by_side_keep_each_referrals_rows_in_file_order()
    {
        var atOnceReports = await SendAsync(atOnce, "ONCE");
        var aloneReports = await SendAsync(alone, "ONCE");

        Assert.Equal(ChunkedBatchTests.Normalised(aloneReports), ChunkedBatchTests.Normalised(atOnceReports));
        Assert.All(atOnceReports, r => Assert.Equal("accepted", r.GetProperty("outcome").GetString()));
        foreach (var gateway in new GatewayApp[] { atOnce, alone })
        {
            // Each step a version (the intake moves a requested Task through accepted first): 1-5 ended completed, 6-10 in progress.
            Assert.Equal(["completed got-help 5", "in-progress activity-started 4"], await TaskEndStatesAsync(gateway, "ONCE"));
        }
    }

    private static async Task<List<JsonElement>> SendAsync(GatewayApp gateway, string prefix)
    {
        var gp = await gateway.CreateClientAsync(TestPartners.DutchGp);
        var welfare = await gateway.CreateClientAsync(TestPartners.Welfare);
        await ChunkedBatchTests.ReferAsync(gp, prefix, Referrals);

        using var response = await welfare.PostBatchAsync("wor-export/v1", Csv(prefix), "text/csv");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).GetProperty("records").EnumerateArray().ToList();
    }

    private static byte[] Csv(string prefix)
    {
        var header = Samples.Read("wor-export/2026-10-31-wor-kampen.csv").TrimStart('\uFEFF').Split('\n')[0].TrimEnd('\r');
        var csv = new StringBuilder(header).Append('\n');
        foreach (var (first, status, date, measured) in Chunks)
        {
            for (var referral = first; referral < first + 5; referral++)
            {
                var scores = measured ? $"{date};5;4;3,5;4;2;6" : ";;;;;;";
                csv.Append($"{ChunkedBatchTests.Verwijzing(prefix, referral)};{TestPartners.DutchGpAgb};Client{referral};14-02-1948;8261 AB;{status};{date};A. Bakker;;{scores};ja;{status}\n");
            }
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    // Each distinct "status businessStatus version" of the referrals' Tasks now.
    private static async Task<List<string>> TaskEndStatesAsync(GatewayApp gateway, string prefix)
    {
        await using var command = gateway.Database.CreateCommand($"""
            select distinct v.body::jsonb->>'status' || ' ' || (v.body::jsonb->'businessStatus'->'coding'->0->>'code') || ' ' || r.version
            from resource r
            join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            join search_reference x on x.resource_key = r.resource_key and x.param = 'focus' and x.target_type = 'ServiceRequest'
            join resource s on s.resource_type = 'ServiceRequest' and s.resource_id = x.target_id
            join search_token t on t.resource_key = s.resource_key and t.param = 'identifier' and t.code like '{prefix}-%'
            where r.resource_type = 'Task'
            order by 1
            """);
        var states = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            states.Add(reader.GetString(0));
        }

        return states;
    }
}
