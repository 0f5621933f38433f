using System.Text.Json.Nodes;

namespace Gateway.Api.Demo;

/// <summary>One demo referral: the GP's transaction, then what its provider reports on it.</summary>
/// <param name="Identifier">The GP's ServiceRequest identifier (system|value): a referral already there is not seeded again.</param>
/// <param name="Gp">The referring practice's partner id.</param>
/// <param name="Provider">The partner that reports on it.</param>
/// <param name="Transaction">The GP's transaction Bundle as JSON.</param>
/// <param name="Records">The provider's JSON records, in order.</param>
/// <param name="Csv">The provider's wor-export/v1 file, if it reports that way.</param>
public sealed record DemoReferral(string Name, string Identifier, string Gp, string Provider, string Transaction, IReadOnlyList<string> Records, string? Csv = null)
{
    /// <summary>For a referral of the past year (<see cref="DemoHistory"/>): the dates its Task is moved back to once seeded.</summary>
    public DemoDates? Dates { get; init; }
}

/// <summary>
/// The sandbox's referrals, one in each state a partner meets (SPEC §5), made from the shared
/// samples (Demo/Seed/*, copies of ../shared/samples) with other patients swapped in: the
/// sample itself in progress with its ONS4 measure, one requested, one accepted, one completed,
/// one on hold for want of consent, and the Dutch welfare referral of the wor-export sample.
/// </summary>
public static class DemoReferrals
{
    public const string HousingGp = "hillside-gp";
    public const string Housing = "hfactor-housing";
    public const string DutchGp = "de-brug-huisartsen";
    public const string Welfare = "wor-kampen";
    private const string HillsideReferrals = "https://hillside.example/referrals";

    private sealed record Person(string Nhs, string Given, string Family, string BirthDate, string Postcode, string ReferralId);

    private static readonly Person Sample = new("9995908301", "Margaret", "Okafor", "1951-03-08", "WS2 8LD", "SP-2026-1187");

    public static IReadOnlyList<DemoReferral> All(DateTimeOffset now)
    {
        var requested = new Person("9995908409", "Daniel", "Hughes", "1974-06-02", "WS1 3AA", "SP-DEMO-0001");
        var accepted = new Person("9995908417", "Priya", "Shah", "1988-01-19", "WS3 1BD", "SP-DEMO-0002");
        // Not the GP sample itself: the README's walkthrough sends that one, and must find it new.
        var inProgress = new Person("9995908441", "Alan", "Reid", "1950-05-12", "WS2 9PL", "SP-DEMO-0003");
        var completed = new Person("9995908425", "George", "Bennett", "1946-11-30", "WS9 0QP", "SP-DEMO-0004");
        var onHold = new Person("9995908433", "Susan", "Clarke", "1969-08-21", "WS2 7HT", "SP-DEMO-0005");
        var day = TimeSpan.FromDays(1);
        return
        [
            Uk("requested (housing)", requested, consent: true, []),
            Uk("accepted", accepted, consent: true, [HousingCase("housing-case-engaged-with-ons4.json", accepted, "d1e2f3a4-0000-4000-8000-000000000002", record =>
            {
                record["status"] = "contact_attempted";
                record["statusChangedAt"] = Instant(now - day);
                record.Remove("activities");
                record.Remove("wellbeing");
                record["notes"] = "First call made; home visit booked.";
            })]),
            Uk("in progress with an ONS4 outcome", inProgress, consent: true,
                [HousingCase("housing-case-engaged-with-ons4.json", inProgress, "d1e2f3a4-0000-4000-8000-000000000003", _ => { })]),
            Uk("completed", completed, consent: true,
            [
                HousingCase("housing-case-engaged-with-ons4.json", completed, "d1e2f3a4-0000-4000-8000-000000000041", _ => { }),
                HousingCase("housing-case-closed-completed.json", completed, "d1e2f3a4-0000-4000-8000-000000000042", record =>
                {
                    record["statusChangedAt"] = Instant(now - day);
                    record["wellbeing"]![0]!["completedOn"] = (now - (2 * day)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                }),
            ]),
            Uk("on hold awaiting consent", onHold, consent: false, []),
            new DemoReferral("Dutch welfare referral (wor-export)", "https://de-brug.example/verwijzingen|WOR-2026-0091", DutchGp, Welfare,
                Seed("dutch-referral-transaction.json"), [], Seed("wor-export-de-vries.csv")),
        ];
    }

    private static DemoReferral Uk(string name, Person person, bool consent, IReadOnlyList<string> records)
    {
        var bundle = JsonNode.Parse(Swap(Seed("referral-transaction.json"), person))!.AsObject();
        if (!consent)
        {
            // Without the Consent entry the Task waits on-hold, awaiting-consent, until one names the provider.
            bundle["entry"]!.AsArray().RemoveAt(1);
            bundle["entry"]![1]!["resource"]!.AsObject().Remove("supportingInfo");
        }

        return new DemoReferral(name, $"{HillsideReferrals}|{person.ReferralId}", HousingGp, Housing, bundle.ToJsonString(), records);
    }

    private static string HousingCase(string seed, Person person, string messageId, Action<JsonObject> change)
    {
        var record = JsonNode.Parse(Swap(Seed(seed), person))!.AsObject();
        record["messageId"] = messageId;
        record["caseRef"] = "HF-DEMO-" + person.ReferralId[^4..];
        change(record);
        return record.ToJsonString();
    }

    private static string Swap(string json, Person person) => json
        .Replace(Sample.Nhs, person.Nhs, StringComparison.Ordinal)
        .Replace(Sample.ReferralId, person.ReferralId, StringComparison.Ordinal)
        .Replace($"\"{Sample.Given}\"", $"\"{person.Given}\"", StringComparison.Ordinal)
        .Replace($"\"{Sample.Family}\"", $"\"{person.Family}\"", StringComparison.Ordinal)
        .Replace(Sample.BirthDate, person.BirthDate, StringComparison.Ordinal)
        .Replace(Sample.Postcode, person.Postcode, StringComparison.Ordinal);

    private static string Instant(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A seed file, embedded in the assembly so the sandbox finds it wherever it runs from.</summary>
    public static string Seed(string name)
    {
        using var stream = typeof(DemoReferrals).Assembly.GetManifestResourceStream($"Gateway.Api.Demo.Seed.{name}")
            ?? throw new InvalidOperationException($"The demo seed file {name} is not embedded in Gateway.Api.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
