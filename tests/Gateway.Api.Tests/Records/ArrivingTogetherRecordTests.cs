using System.Net;
using Gateway.Fhir.Records;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Gateway.Api.Tests.Records;

/// <summary>
/// Issue 18, tenth pass: single records (<c>POST /records</c>) that arrive while the partner's
/// previous one is being applied are applied together, in one transaction, and each request gets
/// the answer it gets when the records are sent one by one: accepted, unchanged (a copy, a
/// replay), rejected with its reasons; and the referrals end as they do one by one.
/// </summary>
public sealed class ArrivingTogetherRecordTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private const int OtherReferrals = 6;

    [Fact]
    public async System.Threading.Tasks.Task Records_sent_at_once_while_one_is_applied_are_applied_together_and_each_answered_as_sent_one_by_one()
    {
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var oneByOne = await RecordSetAsync(housing);
        var atOnce = await RecordSetAsync(housing);

        var aloneAnswers = new List<string>();
        foreach (var json in oneByOne.Records)
        {
            using var response = await housing.PostRecordAsync(json);
            aloneAnswers.Add(await AnswerAsync(housing, response));
        }

        // Every record but the replay (answered at once, as already applied) is stored and waits for the applier.
        var responses = await System.Threading.Tasks.Task.WhenAll(await SendWhileTheApplierIsBusyAsync(housing, atOnce.Records, atOnce.Records.Count - 1));

        var togetherAnswers = new List<string>();
        foreach (var response in responses)
        {
            togetherAnswers.Add(await AnswerAsync(housing, response));
        }

        // The two records about one referral, and the two copies of one record, answer in the order they arrived, which the
        // requests sent at once do not fix: those pairs are compared as pairs.
        Assert.Equal(Paired(aloneAnswers), Paired(togetherAnswers));
        Assert.Contains(togetherAnswers, a => a.StartsWith("200 unchanged", StringComparison.Ordinal));
        Assert.Contains(togetherAnswers, a => a.StartsWith("422 rejected", StringComparison.Ordinal));
        for (var i = 0; i < oneByOne.RequestIds.Count; i++)
        {
            Assert.Equal(await TaskStateAsync(oneByOne.RequestIds[i]), await TaskStateAsync(atOnce.RequestIds[i]));
        }

        var accepted = new List<string>();
        foreach (var response in responses.Where(r => r.StatusCode == HttpStatusCode.OK))
        {
            var report = await response.JsonAsync();
            if (report.GetProperty("outcome").GetString() == "accepted")
            {
                accepted.Add(report.GetProperty("recordId").GetString()!);
            }
        }

        Assert.Equal(3 + OtherReferrals, accepted.Count);
        await using var transactions = gateway.Database.CreateCommand("select count(distinct xmin::text) from partner_record where record_id = any($1)");
        transactions.Parameters.Add(new() { Value = accepted.ToArray() });
        Assert.Equal(1L, await transactions.ExecuteScalarAsync());
    }

    [Fact]
    public async System.Threading.Tasks.Task A_record_that_fails_alone_after_its_group_committed_fails_only_its_own_request_and_the_others_are_answered_accepted()
    {
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var records = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            records.Add((await RecordHttp.ReferralWithHousingCaseAsync(gateway.Client)).Record);
        }

        // A fault no record can be blamed for in advance (a server error, not a refusal): the database refuses any change
        // to this one referral's Task. Its record fails in the group, is set aside, and fails again alone.
        var (doomedRequest, doomedRecord) = await RecordHttp.ReferralWithHousingCaseAsync(gateway.Client);
        var doomedTask = await gateway.Client.ReferralTaskAsync(doomedRequest);
        records.Insert(1, doomedRecord);
        await ExecuteAsync($"""
            create function doomed_task_refused() returns trigger language plpgsql as $$
            begin raise exception 'test fault: Task {doomedTask.Id} may not change'; end $$;
            create trigger doomed_task_refused before update on resource for each row
                when (old.resource_type = 'Task' and old.resource_id = '{doomedTask.Id}') execute function doomed_task_refused();
            """);
        try
        {
            var sending = await SendWhileTheApplierIsBusyAsync(housing, records, records.Count);

            // The test client turns a 5xx into an exception (NoServerErrorsHandler): the doomed record's 500 arrives so.
            var doomed = await Assert.ThrowsAsync<InvalidOperationException>(() => sending[1]);
            Assert.Contains("answered 500", doomed.Message, StringComparison.Ordinal);
            foreach (var answer in sending.Where((_, i) => i != 1))
            {
                using var response = await answer;
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("accepted", (await response.JsonAsync()).GetProperty("outcome").GetString());
            }
        }
        finally
        {
            await ExecuteAsync("drop trigger doomed_task_refused on resource; drop function doomed_task_refused();");
        }

        // Nothing of the doomed record was applied: sent again once the fault is gone, it applies.
        using var again = await housing.PostRecordAsync(doomedRecord);
        Assert.Equal("accepted", (await again.JsonAsync()).GetProperty("outcome").GetString());
    }

    private async System.Threading.Tasks.Task ExecuteAsync(string sql)
    {
        await using var command = gateway.Database.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Records in a fixed order: two about referral P (the second a later visit), two copies of
    /// one about Q, an invalid one, a replay of one about R applied before, and one each about
    /// <see cref="OtherReferrals"/> more referrals.
    /// </summary>
    private sealed record RecordSet(List<string> Records, List<string> RequestIds);

    private async Task<RecordSet> RecordSetAsync(HttpClient housing)
    {
        var (p, pRecord) = await RecordHttp.ReferralWithHousingCaseAsync(gateway.Client);
        var (q, qRecord) = await RecordHttp.ReferralWithHousingCaseAsync(gateway.Client);
        var (r, rRecord) = await RecordHttp.ReferralWithHousingCaseAsync(gateway.Client);
        using (var applied = await housing.PostRecordAsync(rRecord))
        {
            Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        }

        var laterVisit = System.Text.Json.Nodes.JsonNode.Parse(pRecord)!;
        laterVisit["notes"] = "Second visit: tenancy papers signed.";
        laterVisit["messageId"] = Guid.NewGuid().ToString();
        var records = new List<string> { pRecord, laterVisit.ToJsonString(), qRecord, qRecord, RecordHttp.InvalidHousingCase(), rRecord };
        var requestIds = new List<string> { p, q, r };
        for (var i = 0; i < OtherReferrals; i++)
        {
            var (other, otherRecord) = await RecordHttp.ReferralWithHousingCaseAsync(gateway.Client);
            records.Add(otherRecord);
            requestIds.Add(other);
        }

        return new RecordSet(records, requestIds);
    }

    private static async Task<string> AnswerAsync(HttpClient housing, HttpResponseMessage response)
    {
        var outcome = response.StatusCode == HttpStatusCode.OK ? (await response.JsonAsync()).GetProperty("outcome").GetString()
            : response.StatusCode == HttpStatusCode.UnprocessableEntity ? "rejected" : await response.Content.ReadAsStringAsync();
        return $"{(int)response.StatusCode} {outcome} {RecordHttp.Normalised(await RecordHttp.StoredAsync(housing, response))}";
    }

    private static List<string> Paired(List<string> answers) =>
        [.. answers.Take(2).Order(StringComparer.Ordinal), .. answers.Skip(2).Take(2).Order(StringComparer.Ordinal), .. answers.Skip(4)];

    private async Task<string> TaskStateAsync(string requestId)
    {
        var task = await gateway.Client.ReferralTaskAsync(requestId);
        return $"{task.Status} v{task.Meta.VersionId} {task.BusinessStatus?.Coding.Single().Code} {string.Join(" | ", task.Note.Select(n => n.Text).Order(StringComparer.Ordinal))}";
    }

    /// <summary>
    /// Sends <paramref name="records"/> at once while the partner's applier is kept busy with another
    /// referral's record (its Task locked here), so they are queued whole and taken as one group when
    /// the lock goes; <paramref name="queued"/> of them are expected to wait for it.
    /// </summary>
    private async Task<List<Task<HttpResponseMessage>>> SendWhileTheApplierIsBusyAsync(HttpClient housing, List<string> records, int queued)
    {
        var (gateRequest, gateRecord) = await RecordHttp.ReferralWithHousingCaseAsync(gateway.Client);
        var gateTask = await gateway.Client.ReferralTaskAsync(gateRequest);
        var processor = gateway.Services.GetRequiredService<RecordProcessor>();
        await using var connection = await gateway.Database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("select 1 from resource where resource_type = 'Task' and resource_id = $1 for update", connection, transaction))
        {
            hold.Parameters.Add(new() { Value = gateTask.Id });
            Assert.Equal(1, await hold.ExecuteScalarAsync());
        }

        var gate = housing.PostRecordAsync(gateRecord);
        await UntilAsync(async () => await BlockedByAsync(connection.ProcessID) > 0, "the first record waits for its Task's lock");
        var sending = records.Select(housing.PostRecordAsync).ToList();
        await UntilAsync(() => System.Threading.Tasks.Task.FromResult(processor.SingleRecordsWaiting == queued), "the records are queued");
        await transaction.RollbackAsync();
        using (var first = await gate)
        {
            Assert.Equal("accepted", (await first.JsonAsync()).GetProperty("outcome").GetString());
        }

        return sending;
    }

    private async Task<long> BlockedByAsync(int backend)
    {
        await using var blocked = gateway.Database.CreateCommand("select count(*) from pg_stat_activity where $1 = any(pg_blocking_pids(pid))");
        blocked.Parameters.Add(new() { Value = backend });
        return (long)(await blocked.ExecuteScalarAsync())!;
    }

    // Waits for a state the test cannot be told of, checking it again and again; a minute without it fails the test.
    private static async System.Threading.Tasks.Task UntilAsync(Func<Task<bool>> reached, string what)
    {
        for (var attempt = 0; attempt < 1200; attempt++)
        {
            if (await reached())
            {
                return;
            }

            await System.Threading.Tasks.Task.Delay(50);
        }

        Assert.Fail($"Not reached in a minute: {what}.");
    }
}
