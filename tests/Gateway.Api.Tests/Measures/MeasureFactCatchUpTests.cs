using Gateway.Api.Tests.PartnerSync;
using Gateway.Api.Tests.Workflow;
using Gateway.Jobs.Measures;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Status = Hl7.Fhir.Model.Task.TaskStatus;

namespace Gateway.Api.Tests.Measures;

/// <summary>
/// The Measures' facts are derived after the write (issue 18): a write notes its versions, and a
/// catch-up (the recurring job <c>measure-facts</c>, or an evaluation first) folds them in. These
/// tests hold the catch-up to what a write inside the transaction gave before: nothing lost,
/// nothing folded twice, also with catch-ups running while referrals are made and moved.
/// </summary>
public sealed class MeasureFactCatchUpTests(ClockedJobsGatewayApp gateway) : IClassFixture<ClockedJobsGatewayApp>
{
    [Fact]
    public async System.Threading.Tasks.Task A_task_moved_over_http_is_counted_once_the_recurring_job_has_run()
    {
        using var gp = await gateway.CreateClientAsync(TestPartners.Gp);
        var (_, _, task) = await ReferAsync(gp);
        task = await Referrals.MoveAsync(gateway.Housing, task, Status.Accepted);
        await HangfireJobs.RunAsync(gateway, MeasureFactsJob.Id);
        Assert.Equal(("accepted", true, false), await TaskFactAsync(task.Id));

        await Referrals.MoveAsync(gateway.Housing, task, Status.InProgress);

        Assert.Equal(("accepted", true, false), await TaskFactAsync(task.Id));
        await HangfireJobs.RunAsync(gateway, MeasureFactsJob.Id);
        Assert.Equal(("in-progress", true, true), await TaskFactAsync(task.Id));
        await using var connection = await Database().OpenConnectionAsync();
        Assert.Equal(0L, await MeasureFactTables.CountAsync(connection, "select count(*) from measure_fact_pending"));
    }

    [Fact]
    public async System.Threading.Tasks.Task Catch_ups_while_referrals_are_made_and_moved_in_parallel_keep_what_every_version_derives()
    {
        using var gp = await gateway.CreateClientAsync(TestPartners.Gp);
        using var writing = new CancellationTokenSource();
        var folded = 0L;
        async System.Threading.Tasks.Task CatchUpUntilDoneAsync()
        {
            await using var connection = await Database().OpenConnectionAsync();
            while (!writing.IsCancellationRequested)
            {
                Interlocked.Add(ref folded, await Gateway.Fhir.Measures.KeptFacts.CatchUpAsync(connection, CancellationToken.None));
            }
        }

        var catchUps = Enumerable.Range(0, 3).Select(_ => CatchUpUntilDoneAsync()).ToList();
        var referrals = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            var (patient, request, task) = await ReferAsync(gp);
            task = await Referrals.MoveAsync(gateway.Housing, task, Status.Accepted);
            await gp.CreateAsync(Resources.Ons4(request, patient));
            task = await Referrals.MoveAsync(gateway.Housing, task, Status.InProgress);
            return task.Id;
        }));
        await writing.CancelAsync();
        await System.Threading.Tasks.Task.WhenAll(catchUps);

        Assert.True(Interlocked.Read(ref folded) > 0, "no catch-up ran while the referrals were written");
        await using var connection = await Database().OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        Assert.Equal(MeasureFactTables.InStep, await MeasureFactTables.KeptAgainstRebuiltAsync(connection));
        await transaction.RollbackAsync();
        await Gateway.Fhir.Measures.KeptFacts.CatchUpAsync(connection, CancellationToken.None);
        foreach (var task in referrals)
        {
            Assert.Equal(("in-progress", true, true), await TaskFactAsync(task));
        }
    }

    private static async Task<(string Patient, string Request, Hl7.Fhir.Model.Task Task)> ReferAsync(HttpClient gp)
    {
        var patient = await gp.CreateAsync(Resources.Patient());
        await gp.CreateAsync(Resources.Consent(patient.Id, TestPartners.Housing));
        var request = await gp.CreateAsync(Resources.ServiceRequest(patient.Id, TestPartners.Gp));
        return (patient.Id, request.Id, await gp.ReferralTaskAsync(request.Id));
    }

    // The Task's kept row: its status, whether it was ever accepted, and whether it has a first contact.
    private async Task<(string?, bool, bool)> TaskFactAsync(string taskId)
    {
        await using var command = Database().CreateCommand("""
            select f.status, f.accepted, f.first_contact is not null from referral_task_fact f
            join resource r on r.resource_key = f.task_key where r.resource_type = 'Task' and r.resource_id = $1
            """);
        command.Parameters.Add(new() { Value = taskId });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetString(0), reader.GetBoolean(1), reader.GetBoolean(2)) : (null, false, false);
    }

    private NpgsqlDataSource Database() => gateway.Services.GetRequiredService<NpgsqlDataSource>();
}
