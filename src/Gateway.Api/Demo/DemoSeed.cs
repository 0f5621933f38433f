using System.Text;
using Gateway.Fhir.Access;
using Gateway.Fhir.Bundles;
using Gateway.Fhir.Partners;
using Gateway.Fhir.Records;
using Gateway.Fhir.Search;
using Gateway.Fhir.Serialization;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;
using Npgsql;

namespace Gateway.Api.Demo;

/// <summary>
/// Seeds the sandbox's demo referrals (<see cref="DemoReferrals"/>, and a year of history for the
/// outcome charts, <see cref="DemoHistory"/>) at start when
/// <c>Gateway:Demo:Seed</c> is true (appsettings.Development.json): each through the product's own
/// paths, the GP's transaction as the GP and the provider's records through the record processor
/// as the provider, so Tasks, Provenance, audit and outbox rows are what real traffic makes. A
/// referral whose ServiceRequest is already there is left alone, so a second start seeds nothing.
/// Only the demo's partners file is seeded: <c>dotnet run</c> is the Development environment,
/// which turns seeding on whatever partners file is configured, and demo referrals have no place
/// among real partners; a file without the demo's partners gets one log line saying so, and nothing else.
/// </summary>
public sealed partial class DemoSeed(ResourceStore store, TransactionProcessor transactions, RecordProcessor records, PartnerDirectory partners,
    NpgsqlDataSource dataSource, IConfiguration configuration, TimeProvider clock, ILogger<DemoSeed> logger) : IHostedService
{
    public const string SettingKey = "Gateway:Demo:Seed";

    /// <summary>Also seed the year of history for the outcome charts (<see cref="DemoHistory"/>): appsettings.Development.json turns it on.</summary>
    public const string HistoryKey = "Gateway:Demo:History";
    public const string ClientId = "gateway-demo-seed";
    private const string Source = "demo-seed";
    private const int Concurrency = 4;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var now = clock.GetUtcNow();
        var referrals = DemoReferrals.All(now).Concat(configuration.GetValue<bool>(HistoryKey) ? DemoHistory.All(now) : []).ToList();
        var missing = referrals.SelectMany(r => new[] { r.Gp, r.Provider }).Distinct(StringComparer.Ordinal).Where(id => partners.Find(id) is null).ToList();
        if (missing.Count > 0)
        {
            LogNotTheDemos(logger, string.Join(", ", missing));
            return;
        }

        var seeded = new System.Collections.Concurrent.ConcurrentBag<DemoReferral>();
        // A few referrals at a time, as several practices and providers would send them: each referral's own steps stay in order.
        await Parallel.ForEachAsync(referrals, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken }, async (referral, ct) =>
        {
            var gp = partners.Find(referral.Gp)!;
            var provider = partners.Find(referral.Provider)!;
            if (await ExistsAsync(referral.Identifier, ct))
            {
                return;
            }

            await SeedAsync(referral, Caller(gp, "system/Patient.crus system/Consent.crus system/ServiceRequest.cruds"), Caller(provider, SmartScopes.RecordsWrite), ct);
            seeded.Add(referral);
        });

        // The year of history (DemoHistory) goes back to when it happened, once, in one statement.
        await DemoHistoryDates.ApplyAsync(dataSource, [.. seeded], cancellationToken);
        LogSeeded(logger, seeded.Count, started.ElapsedMilliseconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task SeedAsync(DemoReferral referral, CallingPartner gp, CallingPartner provider, CancellationToken ct)
    {
        var bundle = (Bundle)FhirSerialization.FromStoredJson(referral.Transaction);
        await transactions.ProcessAsync(bundle, ReturnPreference.Minimal, gp, new SearchSettings("http://localhost/fhir", 50, 50), ct);
        var reports = new List<RecordReport>();
        foreach (var record in referral.Records)
        {
            reports.Add(await records.ReceiveJsonAsync(provider, record, Source, ct));
        }

        if (referral.Csv is { } csv)
        {
            await using var file = new MemoryStream(Encoding.UTF8.GetBytes(csv));
            await foreach (var report in records.ReceiveCsvAsync(provider, file, Source, ct))
            {
                reports.Add(report);
            }
        }

        foreach (var rejected in reports.Where(r => r.Outcome == RecordReport.Rejected))
        {
            LogRejected(logger, referral.Name, rejected.RecordId, string.Join("; ", rejected.Issues));
        }
    }

    private Task<bool> ExistsAsync(string identifier, CancellationToken ct) =>
        store.WriteAsync(async writer => (await writer.FindIdPageAsync(SearchQuery.Parse("ServiceRequest", "identifier=" + identifier), 1, null, ct)).Count > 0, ct);

    // The seed acts as the partner itself, as a scheduled job does (PartnerCaller), under a client id of its own that the audit trail shows.
    private static CallingPartner Caller(Partner partner, string scopes) => new(ClientId, partner.Id, partner.Kind, SmartScopes.Parse(scopes));

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data: {Count} referral(s) seeded in {Milliseconds} ms")]
    private static partial void LogSeeded(ILogger logger, int count, long milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo data: nothing seeded. " + SettingKey + " is on (the Development environment, e.g. dotnet run, turns it on), " +
        "but the partners file is not the demo's (src/Gateway.Api/Demo/partners.json): it has no {Missing}. Set " + SettingKey + "=false to silence this.")]
    private static partial void LogNotTheDemos(ILogger logger, string missing);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo data: a record of '{Name}' was rejected (GET /records/{RecordId}): {Issues}")]
    private static partial void LogRejected(ILogger logger, string name, string recordId, string issues);
}
