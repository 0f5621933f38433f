using System.Text;
using System.Text.Json;
using Gateway.Testing;

namespace Gateway.Api.Tests.Records;

/// <summary>
/// Issue 18, set-based chunk writes: a chunk locks and reads its Tasks once, keeps each Task's
/// newest status time itself, inserts its Provenance together and marks its records applied at the
/// end. Rows of one chunk that touch the same Task and the same measurement more than once must
/// still be judged on what the rows before them wrote, exactly as the row-at-a-time path judges them.
/// </summary>
public sealed class ChunkSetWritesTests(FiveRecordChunksGatewayApp chunked, OneRecordChunksGatewayApp alone)
    : IClassFixture<FiveRecordChunksGatewayApp>, IClassFixture<OneRecordChunksGatewayApp>
{
    // Five rows, one chunk: referral 1 three times (the third older than the second and naming an earlier state, with the first's measurement day
    // and other scores), referral 2 twice.
    private static readonly string[] RowsOfFile =
    [
        "{1};Client1;intake_gehad;02-10-2026;;02-10-2026;5;4;3,5;4;2;6",
        "{1};Client1;arrangement_gestart;15-10-2026;Wandelgroep;;;;;;;",
        "{2};Client2;intake_gehad;02-10-2026;;02-10-2026;6;6;6;6;6;6",
        "{1};Client1;intake_gepland;01-10-2026;;02-10-2026;7;7;7;7;7;7",
        "{2};Client2;afgerond;28-10-2026;Wandelgroep;28-10-2026;8;8;8;8;8;8",
    ];

    [Fact]
    public async System.Threading.Tasks.Task Rows_of_one_chunk_on_the_same_Task_and_measurement_answer_as_the_row_at_a_time_path()
    {
        var chunkedReports = await SendAsync(chunked, "TWOFOLD");
        var aloneReports = await SendAsync(alone, "TWOFOLD");

        Assert.Equal(ChunkedBatchTests.Normalised(aloneReports), ChunkedBatchTests.Normalised(chunkedReports));
        Assert.All(chunkedReports, r => Assert.Equal("accepted", r.GetProperty("outcome").GetString()));
        // The fourth row is older than the second: its Task is not moved back, and its report says so.
        Assert.Contains("not moved back", chunkedReports[3].GetProperty("note").GetString(), StringComparison.Ordinal);

        foreach (var gateway in new GatewayApp[] { chunked, alone })
        {
            // One Provenance for each row applied, naming its record.
            Assert.Equal(RowsOfFile.Length, await ChunkedBatchTests.Scalar(gateway, """
                select count(*) from partner_record p
                join resource_version v on v.resource_type = 'Provenance' and v.body::text like '%' || p.record_id || '%'
                where p.state = 'applied' and p.record_key like '%|TWOFOLD-%'
                """));
            // Every version the rows gave a Task has exactly one Provenance targeting it (the record's, naming why): none
            // without, and no second one from the workflow's own transition record (TaskTransitions, HasProvenanceFor).
            Assert.Equal(0, await ChunkedBatchTests.Scalar(gateway, """
                select count(*) from resource r
                join resource_version tv on tv.resource_key = r.resource_key and tv.version > 1
                join search_reference x on x.resource_key = r.resource_key and x.param = 'focus' and x.target_type = 'ServiceRequest'
                join resource s on s.resource_type = 'ServiceRequest' and s.resource_id = x.target_id
                join search_token t on t.resource_key = s.resource_key and t.param = 'identifier' and t.code like 'TWOFOLD-%'
                where r.resource_type = 'Task' and (select count(*) from resource_version p
                    where p.resource_type = 'Provenance'
                      and (p.body::jsonb)->'target' @> jsonb_build_array(jsonb_build_object('reference', 'Task/' || r.resource_id || '/_history/' || tv.version))) <> 1
                """));
            Assert.True(await ChunkedBatchTests.Scalar(gateway, """
                select count(*) from resource r
                join resource_version tv on tv.resource_key = r.resource_key and tv.version > 1
                join search_reference x on x.resource_key = r.resource_key and x.param = 'focus' and x.target_type = 'ServiceRequest'
                join resource s on s.resource_type = 'ServiceRequest' and s.resource_id = x.target_id
                join search_token t on t.resource_key = s.resource_key and t.param = 'identifier' and t.code like 'TWOFOLD-%'
                where r.resource_type = 'Task'
                """) >= 4);
            // Referral 1's measurement of 2 October once, updated by the fourth row; referral 2's two measurements.
            Assert.Equal(3, await ChunkedBatchTests.Scalar(gateway, ChunkedBatchTests.PointingAtReferrals("QuestionnaireResponse", "based-on", "TWOFOLD")));
            Assert.Equal(1, await ChunkedBatchTests.Scalar(gateway, ChunkedBatchTests.PointingAtReferrals("QuestionnaireResponse", "based-on", "TWOFOLD") + " and r.version = 2"));
        }

        // The Tasks end where the row-at-a-time path leaves them, version for version, with the same newest status time.
        Assert.Equal(await TaskVersionsAsync(alone, "TWOFOLD"), await TaskVersionsAsync(chunked, "TWOFOLD"));

        // Referral 2 completed with its Task: the workflow's follow-up version of its ServiceRequest, with its Provenance, as the row-at-a-time path writes them.
        Assert.Equal(await RequestVersionsAsync(alone, "TWOFOLD"), await RequestVersionsAsync(chunked, "TWOFOLD"));
        Assert.Contains(":2:completed:", await RequestVersionsAsync(chunked, "TWOFOLD"), StringComparison.Ordinal);

        // Each measurement as the row-at-a-time path leaves it: version, authored day and scores.
        Assert.Equal(await MeasurementsAsync(alone, "TWOFOLD"), await MeasurementsAsync(chunked, "TWOFOLD"));

        // What the outcome Measures count was kept from the chunk's batched versions as from single writes.
        await using var connection = await chunked.Database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        Assert.Equal(Measures.MeasureFactTables.InStep, await Measures.MeasureFactTables.KeptAgainstRebuiltAsync(connection));
        await transaction.RollbackAsync();
    }

    private static async System.Threading.Tasks.Task<List<JsonElement>> SendAsync(GatewayApp gateway, string prefix)
    {
        var gp = await gateway.CreateClientAsync(TestPartners.DutchGp);
        var welfare = await gateway.CreateClientAsync(TestPartners.Welfare);
        await ChunkedBatchTests.ReferAsync(gp, prefix, 2);
        using var response = await welfare.PostBatchAsync("wor-export/v1", Csv(prefix), "text/csv");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).GetProperty("records").EnumerateArray().ToList();
    }

    // Each referral's Task: its version, status and newest status time from applied rows (by the referral's number).
    private static async System.Threading.Tasks.Task<string> TaskVersionsAsync(GatewayApp gateway, string prefix)
    {
        await using var command = gateway.Database.CreateCommand($"""
            select string_agg(t.code || ':' || r.version || ':' || (v.body->>'status') || ':'
                || (select max(p.status_changed_at)::text from partner_record p where p.task_id = r.resource_id and p.state = 'applied'), ',' order by t.code)
            from resource r
            join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            join search_reference x on x.resource_key = r.resource_key and x.param = 'focus' and x.target_type = 'ServiceRequest'
            join resource s on s.resource_type = 'ServiceRequest' and s.resource_id = x.target_id
            join search_token t on t.resource_key = s.resource_key and t.param = 'identifier' and t.code like '{prefix}-%'
            where r.resource_type = 'Task'
            """);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    // Each referral's ServiceRequest: its version, status and how many Provenance name it (by the referral's number).
    private static async System.Threading.Tasks.Task<string> RequestVersionsAsync(GatewayApp gateway, string prefix)
    {
        await using var command = gateway.Database.CreateCommand($"""
            select string_agg(t.code || ':' || s.version || ':' || (v.body->>'status') || ':'
                || (select count(*) from search_reference p where p.resource_type = 'Provenance' and p.param = 'target' and p.target_type = 'ServiceRequest'
                    and p.target_id = s.resource_id), ',' order by t.code)
            from resource s
            join resource_version v on v.resource_key = s.resource_key and v.version = s.version
            join search_token t on t.resource_key = s.resource_key and t.param = 'identifier' and t.code like '{prefix}-%'
            where s.resource_type = 'ServiceRequest'
            """);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    // Each referral's measurements: version, questionnaire, authored day and answers (by the referral's number and the authored day).
    private static async System.Threading.Tasks.Task<string> MeasurementsAsync(GatewayApp gateway, string prefix)
    {
        await using var command = gateway.Database.CreateCommand($"""
            select string_agg(t.code || ':' || q.version || ':' || (v.body->>'questionnaire') || ':' || (v.body->>'authored') || ':' || (v.body->'item')::text, ','
                order by t.code, v.body->>'authored', v.body->>'questionnaire')
            from resource q
            join resource_version v on v.resource_key = q.resource_key and v.version = q.version
            join search_reference b on b.resource_key = q.resource_key and b.param = 'based-on' and b.target_type = 'ServiceRequest'
            join resource s on s.resource_type = 'ServiceRequest' and s.resource_id = b.target_id
            join search_token t on t.resource_key = s.resource_key and t.param = 'identifier' and t.code like '{prefix}-%'
            where q.resource_type = 'QuestionnaireResponse'
            """);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static byte[] Csv(string prefix)
    {
        var header = Samples.Read("wor-export/2026-10-31-wor-kampen.csv").TrimStart('\uFEFF').Split('\n')[0].TrimEnd('\r');
        var csv = new StringBuilder(header).Append('\n');
        foreach (var row in RowsOfFile)
        {
            // verwijzing_id;verwijzer_agb;achternaam;geboortedatum;postcode;status;status_datum;welzijnscoach;arrangement;pg_meetdatum;six scores;toestemming_delen;terugkoppeling
            var fields = row.Split(';');
            var referral = ChunkedBatchTests.Verwijzing(prefix, int.Parse(fields[0].Trim('{', '}'), System.Globalization.CultureInfo.InvariantCulture));
            csv.Append($"{referral};{TestPartners.DutchGpAgb};{fields[1]};14-02-1948;8261 AB;{fields[2]};{fields[3]};A. Bakker;{fields[4]};{string.Join(';', fields[5..])};ja;Terugkoppeling\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }
}
