using Gateway.Fhir.Partners;
using Hangfire;

namespace Gateway.Jobs.ServiceDirectory;

/// <summary>The service directory's schedules (SPEC §11), called from <see cref="RecurringJobs.Register"/>.</summary>
internal static class DirectoryJobs
{
    public static void Register(IRecurringJobManager jobs, JobsOptions options, PartnerDirectory partners, HashSet<string> partnerJobs)
    {
        foreach (var partner in partners.Partners)
        {
            var partnerId = partner.Id;
            if (partner.DirectorySource is { } source)
            {
                partnerJobs.Add(DirectoryPullJob.RecurringId(partnerId));
                jobs.AddOrUpdate<DirectoryPullJob>(DirectoryPullJob.RecurringId(partnerId), job => job.RunAsync(partnerId, CancellationToken.None), source.Schedule);
            }
        }

        jobs.AddOrUpdate<CapacityReleaseJob>(CapacityReleaseJob.Id, job => job.RunAsync(CancellationToken.None), options.CapacityReleaseSchedule);
    }
}
