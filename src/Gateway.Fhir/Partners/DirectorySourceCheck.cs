namespace Gateway.Fhir.Partners;

/// <summary>
/// The checks of a partner's <c>directorySource</c> (SPEC §11: its Open Referral UK API, pulled on a
/// schedule by the job <c>directory:{id}</c>): an absolute http(s) URL, a cron schedule Hangfire can
/// run, and a provider's (the directory's services route referrals to their provider).
/// </summary>
internal static class DirectorySourceCheck
{
    public static void Check(Partner partner, string at, List<string> problems)
    {
        if (partner.DirectorySource is not { } source)
        {
            return;
        }

        if (!Uri.TryCreate(source.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            problems.Add($"{at}.directorySource.url: '{source.Url}' is not an absolute http(s) URL (the ORUK API's services endpoint, e.g. https://directory.example/api/services).");
        }

        if (PartnerSyncSettings.CronProblem(source.Schedule) is { } problem)
        {
            problems.Add($"{at}.directorySource.schedule: '{source.Schedule}' is not a cron expression Hangfire can run ({problem}); e.g. '0 3 * * *'.");
        }

        if (!PartnerKinds.IsProvider(partner.Kind))
        {
            problems.Add($"{at}.directorySource: a {partner.Kind} publishes no services; only a {PartnerKinds.HousingProvider} or {PartnerKinds.WelfareOrganisation} has a directory source.");
        }
    }
}
