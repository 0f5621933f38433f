using Gateway.Fhir.Access;
using Gateway.Fhir.Partners;
using Gateway.Fhir.ServiceDirectory;
using Gateway.Mapping;
using Gateway.Mapping.LocalOffer;

namespace Gateway.Api.Demo;

/// <summary>
/// Seeds a small service directory for the sandbox's two regions (SPEC §11), next to <see cref="DemoSeed"/>:
/// the housing association's offer in Walsall and the welfare organisation's activities in Kampen,
/// through the directory import as each provider, so a second start changes nothing.
/// </summary>
public sealed partial class DemoDirectory(DirectoryImport import, PartnerDirectory partners, ILogger<DemoDirectory> logger) : IHostedService
{
    private const string Source = "demo-seed";

    private static readonly Dictionary<string, DirectoryEntry[]> Offer = new(StringComparer.Ordinal)
    {
        ["hfactor-housing"] =
        [
            Entry("walsall-befriending", "Walsall Befriending Circle", "befriending", "Church Hill", "Walsall", "WS1 3AY", 52.5846, -1.9822, "01922 000001", true, 7),
            Entry("bloxwich-walks", "Bloxwich Health Walks", "physical-activity", "Field Road", "Bloxwich", "WS3 3JF", 52.6178, -2.0049, "01922 000003", true, 3),
            Entry("walsall-debt-advice", "Tenancy Money Advice", "debt-advice", "Darwall Street", "Walsall", "WS1 1DA", 52.5862, -1.9829, "01922 000004", false, 21),
        ],
        ["wor-kampen"] =
        [
            Entry("wandelgroep", "Wandelgroep De Buitenwacht", "physical-activity", "Buitenhaven 4", "Kampen", "8261 DR", 52.5558, 5.9150, "038 000 0001", true, 7),
            Entry("taalcafe", "Taalcafé De Brug", "befriending", "Burgwal 20", "Kampen", "8261 EP", 52.5601, 5.9163, "038 000 0003", true, 0),
        ],
    };

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (partnerId, entries) in Offer)
        {
            if (partners.Find(partnerId) is not { } partner)
            {
                continue;
            }

            var caller = new CallingPartner(DemoSeed.ClientId, partner.Id, partner.Kind, SmartScopes.Parse("system/HealthcareService.crus system/Location.crus"));
            for (var i = 0; i < entries.Length; i++)
            {
                var outcome = await import.ApplyAsync(caller, Source, new DirectoryEntryRead(entries[i].SourceId, i + 1, entries[i], []), cancellationToken);
                counts[outcome.Outcome] = counts.GetValueOrDefault(outcome.Outcome) + 1;
            }
        }

        LogSeeded(logger, string.Join(", ", counts.Select(c => $"{c.Value} {c.Key}")));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static DirectoryEntry Entry(string id, string name, string category, string line, string city, string postcode, double latitude, double longitude,
        string phone, bool accepts, int waitDays) => new(
            id, name, null, Active: true,
            [new DirectoryCode(Canonicals.SocialPrescribingActivity, category, null)],
            Organization: null,
            new DirectoryLocation("location-" + id, name, line, city, postcode, latitude, longitude),
            [new DirectoryContact("phone", phone)],
            new DirectoryCapacity(accepts, waitDays));

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo directory: {Counts} service(s)")]
    private static partial void LogSeeded(ILogger logger, string counts);
}
