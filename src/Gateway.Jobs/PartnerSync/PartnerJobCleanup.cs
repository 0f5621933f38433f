using Hangfire;
using Hangfire.Storage;

namespace Gateway.Jobs.PartnerSync;

/// <summary>
/// Hangfire keeps a recurring job until told otherwise, so a partner removed from the partners
/// file, or one whose <c>pull</c> or <c>dropFolder</c> was taken out, would go on being pulled.
/// At start the partner jobs (<c>pull:*</c>, <c>drop-folder:*</c>) the file no longer asks for are removed.
/// </summary>
internal static class PartnerJobCleanup
{
    private static readonly string[] PartnerJobPrefixes = [PullPartnerRecordsJob.RecurringId(""), DropFolderJob.RecurringId(""), ServiceDirectory.DirectoryPullJob.RecurringId("")];

    public static void RemoveUnwanted(IRecurringJobManager jobs, IReadOnlySet<string> wanted)
    {
        if (jobs is not IRecurringJobManagerV2 { Storage: { } storage })
        {
            return;
        }

        List<string> stored;
        using (var connection = storage.GetConnection())
        {
            stored = [.. connection.GetRecurringJobs().Select(j => j.Id)];
        }

        foreach (var id in stored.Where(id => PartnerJobPrefixes.Any(p => id.StartsWith(p, StringComparison.Ordinal)) && !wanted.Contains(id)))
        {
            jobs.RemoveIfExists(id);
        }
    }
}
