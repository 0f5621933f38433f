using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Api.Tests.Records;
using Gateway.Api.Tests.Workflow;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Npgsql;

namespace Gateway.Api.Tests.Audit;

/// <summary>A gateway whose write pool holds three connections, applying batches a record a chunk, two chunks at once.</summary>
public sealed class SmallWritePoolGatewayApp : GatewayApp
{
    public const int WriteConnections = 3;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        // Each of the gateway's pools takes the connection string's maximum.
        new("ConnectionStrings:Gateway", new NpgsqlConnectionStringBuilder(ConnectionString) { MaxPoolSize = WriteConnections }.ConnectionString),
        new(Gateway.Fhir.Storage.WriteConnections.WarmKey, "0"),
        new("Gateway:Records:ChunkRows", "1"),
        new("Gateway:Records:ChunksAtOnce", "2"),
    ];
}

/// <summary>
/// The audit writer does not store through the write pool: responses that start while their
/// requests hold every write connection still get their AuditEvents, and so their answers.
/// </summary>
public sealed class AuditWritePoolTests(SmallWritePoolGatewayApp gateway) : IClassFixture<SmallWritePoolGatewayApp>
{
    private const int Batches = SmallWritePoolGatewayApp.WriteConnections + 1;

    [Fact]
    public async System.Threading.Tasks.Task Batch_reports_that_start_while_their_chunks_hold_every_write_connection_are_answered_and_audited()
    {
        using var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var sent = await Referrals.SendUkSampleAsync(gateway.Client);
        var request = await (await gateway.Client.GetAsync($"ServiceRequest/{sent.RequestId}")).ReadResourceAsync<ServiceRequest>();
        var patient = await (await gateway.Client.GetAsync($"Patient/{sent.PatientId}")).ReadResourceAsync<Patient>();
        var taskId = (await housing.SearchAsync($"Task?focus=ServiceRequest/{sent.RequestId}")).Entry.Single().Resource.Id;
        var auditEventsBefore = await CountAuditEvents();

        HttpResponseMessage[] started;
        await using (var holder = await gateway.Database.OpenConnectionAsync())
        await using (var transaction = await holder.BeginTransactionAsync())
        {
            // Every batch's second record is one housing-case record for this Task: the first chunk to apply it waits on
            // the Task's row, the others on the record's, each in a write transaction (the last waits for a connection).
            // The first record is refused before it is stored, so its report is ready and the response starts (and
            // waits for its AuditEvent) while the second chunk waits.
            await Execute(holder, $"select 1 from resource where resource_type = 'Task' and resource_id = '{taskId}' for update");
            var engaged = RecordHttp.HousingCase("01-engaged-with-ons4.json", request.Identifier.Single().Value, patient.Identifier.Single().Value);
            // The status line comes once the response's AuditEvent is committed. Stored through the write pool, it never
            // was while the chunks held the pool: the writer gave up and every one of these connections was cut.
            started = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, Batches)
                .Select(_ => housing.SendAsync(Batch(RefusedRecord(), engaged), HttpCompletionOption.ResponseHeadersRead)));
            await transaction.RollbackAsync();
        }

        foreach (var response in started)
        {
            using (response)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var reports = (await response.JsonAsync()).GetProperty("records").EnumerateArray().Select(r => r.GetProperty("outcome").GetString()).ToList();
                Assert.Equal(2, reports.Count);
                Assert.Equal("rejected", reports[0]);
            }
        }

        // One AuditEvent a batch, committed before its answer.
        Assert.Equal(auditEventsBefore + Batches, await CountAuditEvents());
    }

    private async Task<long> CountAuditEvents()
    {
        await using var command = gateway.Database.CreateCommand("select count(*) from resource where resource_type = 'AuditEvent'");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    // A record with a field over the limit (32 KiB): refused as it comes in, before anything is stored.
    private static string RefusedRecord() => JsonSerializer.Serialize(new { format = "housing-case/v1", note = new string('x', 40_000) });

    private static HttpRequestMessage Batch(params string[] records)
    {
        var content = new StringContent("[" + string.Join(",", records) + "]", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpRequestMessage(HttpMethod.Post, "../records/batch?format=housing-case%2Fv1") { Content = content };
    }

    private static async System.Threading.Tasks.Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
