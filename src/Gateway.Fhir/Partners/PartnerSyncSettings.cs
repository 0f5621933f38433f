using Cronos;

namespace Gateway.Fhir.Partners;

/// <summary>
/// The checks of a partner's scheduled sync settings (<c>pull</c>, <c>dropFolder</c>). The URLs and
/// folders come from the operator's file and are trusted as such: unlike a Subscription's endpoint,
/// they may point at internal addresses.
/// </summary>
internal static class PartnerSyncSettings
{
    public static void Check(Partner partner, string at, List<string> problems)
    {
        if (partner.Pull is { } pull)
        {
            if (!Uri.TryCreate(pull.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                problems.Add($"{at}.pull.url: '{pull.Url}' is not an absolute http(s) URL.");
            }

            if (CronProblem(pull.Schedule) is { } problem)
            {
                problems.Add($"{at}.pull.schedule: '{pull.Schedule}' is not a cron expression Hangfire can run ({problem}); e.g. '*/15 * * * *'.");
            }
        }

        if (partner.DropFolder is { } folder
            && (string.IsNullOrWhiteSpace(folder) || folder.IndexOfAny(Path.GetInvalidPathChars()) >= 0))
        {
            problems.Add($"{at}.dropFolder: '{folder}' is not a folder path (relative to Gateway:Jobs:DropFolderRoot, or absolute).");
        }
    }

    // Hangfire parses with the same library (Cronos, carried inside Hangfire.Core): five fields, or six with seconds first.
    internal static string? CronProblem(string? schedule)
    {
        if (string.IsNullOrWhiteSpace(schedule))
        {
            return "it is empty";
        }

        var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        try
        {
            CronExpression.Parse(schedule, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
            return null;
        }
        catch (CronFormatException problem)
        {
            return problem.Message.TrimEnd('.');
        }
    }
}
