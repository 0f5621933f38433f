using Gateway.Fhir.Partners;
using Gateway.Jobs;
using Gateway.Jobs.PartnerSync;
using Gateway.Testing;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Api.Tests.PartnerSync;

/// <summary>
/// The partners file is applied at start: a partner's pull or drop folder taken out of it (or the
/// partner itself) stops being scheduled, while the jobs it still asks for stay.
/// </summary>
public sealed class PartnerJobCleanupTests(PartnerSyncGateway gateway) : IClassFixture<PartnerSyncGateway>
{
    [Fact]
    public void Partner_jobs_the_file_no_longer_asks_for_are_removed_at_start_and_the_others_kept()
    {
        var jobs = gateway.Services.GetRequiredService<IRecurringJobManager>();
        // What an earlier start left behind for partners since removed from the file.
        jobs.AddOrUpdate<PullPartnerRecordsJob>(PullPartnerRecordsJob.RecurringId("gone-housing"), job => job.RunAsync("gone-housing", CancellationToken.None), TestPartners.Never);
        jobs.AddOrUpdate<DropFolderJob>(DropFolderJob.RecurringId("gone-welfare"), job => job.RunAsync("gone-welfare", CancellationToken.None), TestPartners.Never);
        Assert.Contains(PullPartnerRecordsJob.RecurringId("gone-housing"), RecurringIds());

        // The registration every worker makes at start.
        RecurringJobs.Register(jobs, gateway.Services.GetRequiredService<JobsOptions>(), gateway.Services.GetRequiredService<PartnerDirectory>());

        var ids = RecurringIds();
        Assert.DoesNotContain(PullPartnerRecordsJob.RecurringId("gone-housing"), ids);
        Assert.DoesNotContain(DropFolderJob.RecurringId("gone-welfare"), ids);
        Assert.Contains(PullPartnerRecordsJob.RecurringId(TestPartners.Housing), ids);
        Assert.Contains(DropFolderJob.RecurringId(TestPartners.Welfare), ids);
        Assert.Contains(RecurringJobs.OutboxDrain, ids);
    }

    private List<string> RecurringIds()
    {
        using var connection = gateway.Services.GetRequiredService<JobStorage>().GetConnection();
        return [.. connection.GetRecurringJobs().Select(j => j.Id)];
    }
}
