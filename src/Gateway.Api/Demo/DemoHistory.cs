using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.Api.Demo;

/// <summary>When a history referral was made and how long its provider took: the seed moves its Task's versions back to these (<see cref="DemoHistoryDates"/>).</summary>
/// <param name="ContactDays">Days from the referral to the provider's first record (its second Task version).</param>
/// <param name="CloseDays">Days from that to each later record.</param>
public sealed record DemoDates(DateTimeOffset Authored, int ContactDays, int CloseDays);

/// <summary>
/// A year of referrals for the console's outcome charts (issue 19): 70 from Hillside to the
/// housing association across Walsall (WS1, WS2, WS3, WS9, and WV13 outside the demo ICB's area)
/// and 45 from De Brug to the welfare organisation in and around Kampen, made every few days over
/// the last twelve months, each ending in its own way: completed with a first and a last ONS4 or
/// positive-health measurement, still in progress, accepted, declined, cancelled or failed with a
/// reason, or still requested. Made from the same samples as <see cref="DemoReferrals"/>, with
/// numbers from a fixed seed so every sandbox shows the same figures.
/// </summary>
public static class DemoHistory
{
    public const int UkCount = 70;
    public const int DutchCount = 45;
    private const string DutchGpAgb = "01234567";
    private const string UkReferrals = "https://hillside.example/referrals";
    private const string DutchReferrals = "https://de-brug.example/verwijzingen";
    private static readonly string[] UkPostcodes = ["WS1 3AA", "WS2 8LD", "WS3 1BD", "WS9 0QP", "WV13 1AB", "WS2 7HT", "WS1 2DJ", "WS3 4NQ"];
    private static readonly string[] DutchPostcodes = ["8261 AB", "8262 CD", "8263 EF", "8264 GH", "8281 KL", "8261 MN"];
    private static readonly string[] Given = ["Amir", "Beth", "Carl", "Dawn", "Eddie", "Fatima", "Gwen", "Harold", "Iris", "Joseph", "Kath", "Leon", "Maureen", "Nigel", "Olive", "Pete"];
    private static readonly string[] Family = ["Adams", "Begum", "Cooper", "Dunn", "Evans", "Foster", "Grant", "Hall", "Iqbal", "Jones", "Khan", "Lloyd", "Morris", "Noor", "Owen", "Patel"];
    private static readonly string[] DutchFamily = ["Bakker", "Dekker", "Jansen", "Kok", "Meijer", "Mulder", "Post", "Smit", "Visser", "Vos", "de Boer", "de Jong"];

    public static IReadOnlyList<DemoReferral> All(DateTimeOffset now)
    {
        var random = new Random(19);
        var referrals = new List<DemoReferral>();
        for (var i = 0; i < UkCount; i++)
        {
            referrals.Add(Uk(i, now, now.AddDays(-(2 + (i * 5.2))).AddHours(-random.Next(0, 8)), random));
        }

        for (var i = 0; i < DutchCount; i++)
        {
            referrals.Add(Dutch(i, now, now.AddDays(-(1 + (i * 8.05))).AddHours(-random.Next(0, 8)), random));
        }

        return referrals;
    }

    private static DemoReferral Uk(int i, DateTimeOffset now, DateTimeOffset authored, Random random)
    {
        var id = $"SP-HIST-{i + 1:0000}";
        var nhs = NhsNumber(i);
        var postcode = UkPostcodes[i % UkPostcodes.Length];
        var (given, family) = (Given[i % Given.Length], Family[(i * 7) % Family.Length]);
        var birthDate = new DateOnly(1940 + (i * 13 % 60), 1 + (i % 12), 1 + (i % 27));
        var transaction = DemoReferrals.Seed("referral-transaction.json")
            .Replace("9995908301", nhs, StringComparison.Ordinal).Replace("SP-2026-1187", id, StringComparison.Ordinal)
            .Replace("\"Margaret\"", $"\"{given}\"", StringComparison.Ordinal).Replace("\"Okafor\"", $"\"{family}\"", StringComparison.Ordinal)
            .Replace("1951-03-08", Date(birthDate), StringComparison.Ordinal).Replace("WS2 8LD", postcode, StringComparison.Ordinal);
        transaction = Dated(transaction, authored, male: i % 3 == 1);

        var (contact, close) = Durations(i, authored, random);
        var age = (now - authored).TotalDays;
        var first = Ons4(random, authored.AddDays(contact), improved: null);
        var last = Ons4(random, authored.AddDays(contact + close), improved: first);
        var records = new List<string>();
        void Case(string status, string? reason, JsonObject? wellbeing)
        {
            var record = new JsonObject
            {
                ["format"] = "housing-case/v1",
                ["messageId"] = DeterministicGuid(id, records.Count),
                ["provider"] = DemoReferrals.Housing,
                ["caseRef"] = "HF-HIST-" + (i + 1).ToString("0000", CultureInfo.InvariantCulture),
                ["referral"] = new JsonObject { ["serviceRequestIdentifier"] = new JsonObject { ["system"] = UkReferrals, ["value"] = id } },
                ["tenant"] = new JsonObject { ["tenancyRef"] = "TEN-H" + (i + 1).ToString("0000", CultureInfo.InvariantCulture), ["nhsNumber"] = nhs, ["dateOfBirth"] = Date(birthDate), ["postcode"] = postcode },
                ["status"] = status,
                ["statusChangedAt"] = authored.AddDays(records.Count == 0 ? contact : contact + close).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["worker"] = new JsonObject { ["staffId"] = "SP-07", ["role"] = "social_prescriber" },
                ["consentToShareNotesWithGp"] = true,
            };
            if (reason is not null)
            {
                record["statusReason"] = reason;
            }

            if (wellbeing is not null)
            {
                record["wellbeing"] = new JsonArray(wellbeing);
            }

            records.Add(record.ToJsonString());
        }

        // What became of it, by its place in the year: the recent ones have not got far yet.
        var fate = age < contact + 2 ? "requested" : age < contact + close + 2 ? (i % 4 == 0 ? "accepted" : "in-progress") : (i % 10) switch
        {
            0 or 1 or 2 or 3 or 4 => "completed",
            5 => "in-progress",
            6 => "failed",
            7 => "cancelled",
            8 => "declined",
            _ => i % 20 == 9 ? "moved" : "accepted",
        };
        switch (fate)
        {
            case "accepted":
                Case("contact_attempted", null, null);
                break;
            case "in-progress":
                Case("engaged", null, first);
                break;
            case "completed":
                Case("engaged", null, first);
                Case("closed_completed", null, last);
                break;
            case "failed":
                Case("contact_attempted", null, null);
                Case("closed_no_contact", "Three calls and a letter, no answer.", null);
                break;
            case "cancelled":
                Case("engaged", null, first);
                Case("closed_declined", "No longer wanted support after the first visit.", null);
                break;
            case "moved":
                Case("contact_attempted", null, null);
                Case("closed_moved_away", "Moved out of the area.", null);
                break;
            case "declined":
                Case("closed_inappropriate", "Needs specialist mental health support rather than social prescribing.", null);
                break;
        }

        return new DemoReferral($"history {id}", $"{UkReferrals}|{id}", DemoReferrals.HousingGp, DemoReferrals.Housing, transaction, records)
        {
            Dates = new DemoDates(authored, contact, close),
        };
    }

    private static DemoReferral Dutch(int i, DateTimeOffset now, DateTimeOffset authored, Random random)
    {
        var id = $"WOR-HIST-{i + 1:0000}";
        var bsn = Bsn(i);
        var postcode = DutchPostcodes[i % DutchPostcodes.Length];
        var family = DutchFamily[i % DutchFamily.Length];
        var birthDate = new DateOnly(1938 + (i * 11 % 62), 1 + (i * 5 % 12), 1 + (i % 28));
        var transaction = DemoReferrals.Seed("dutch-referral-transaction.json")
            .Replace("999911120", bsn, StringComparison.Ordinal).Replace("WOR-2026-0091", id, StringComparison.Ordinal)
            .Replace("\"de Vries\"", $"\"{family}\"", StringComparison.Ordinal).Replace("1948-02-14", Date(birthDate), StringComparison.Ordinal)
            .Replace("8261 AB", postcode, StringComparison.Ordinal);
        transaction = Dated(transaction, authored, male: i % 3 == 2);

        var (contact, close) = Durations(i + 3, authored, random);
        var age = (now - authored).TotalDays;
        var first = PositiveHealth(random, null);
        var last = PositiveHealth(random, first);
        var rows = new List<string>();
        void Row(string status, double[]? scores)
        {
            var on = authored.AddDays(rows.Count == 0 ? contact : contact + close).ToString("dd-MM-yyyy", CultureInfo.InvariantCulture);
            var pg = scores is null ? ";;;;;;" : on + ";" + string.Join(';', scores.Select(s => s.ToString("0.#", CultureInfo.InvariantCulture).Replace('.', ',')));
            rows.Add($"{id};{DutchGpAgb};{family};{birthDate:dd-MM-yyyy};{postcode};{status};{on};A. Bakker;;{pg};ja;");
        }

        var fate = age < contact + 2 ? "requested" : age < contact + close + 2 ? "in-progress" : (i % 9) switch
        {
            0 or 1 or 2 or 3 => "completed",
            4 => "in-progress",
            5 => "accepted",
            6 => "failed",
            7 => "cancelled",
            _ => "declined",
        };
        switch (fate)
        {
            case "accepted":
                Row("contact_gezocht", null);
                break;
            case "in-progress":
                Row("intake_gehad", first);
                break;
            case "completed":
                Row("intake_gehad", first);
                Row("afgerond", last);
                break;
            case "failed":
                Row("contact_gezocht", null);
                Row("niet_bereikt", null);
                break;
            case "cancelled":
                Row("intake_gehad", first);
                Row("gestopt", null);
                break;
            case "declined":
                Row("niet_passend", null);
                break;
        }

        var csv = rows.Count == 0 ? null : WorHeader + "\n" + string.Join("\n", rows) + "\n";
        return new DemoReferral($"history {id}", $"{DutchReferrals}|{id}", DemoReferrals.DutchGp, DemoReferrals.Welfare, transaction, [], csv)
        {
            Dates = new DemoDates(authored, contact, close),
        };
    }

    private const string WorHeader = "verwijzing_id;verwijzer_agb;achternaam;geboortedatum;postcode;status;status_datum;welzijnscoach;arrangement;pg_meetdatum;" +
        "pg_lichaamsfuncties;pg_mentaal_welbevinden;pg_zingeving;pg_kwaliteit_van_leven;pg_meedoen;pg_dagelijks_functioneren;toestemming_delen;terugkoppeling";

    // Most first contacts within the 14-day norm, some well after it; later records weeks to months on.
    private static (int Contact, int Close) Durations(int i, DateTimeOffset authored, Random random) =>
        (i % 6 == 5 ? 15 + random.Next(0, 15) : 1 + random.Next(0, 12), 28 + random.Next(0, 70));

    private static JsonObject Ons4(Random random, DateTimeOffset on, JsonObject? improved)
    {
        int Score(string item, int low, int high, int change) =>
            Math.Clamp(improved is null ? random.Next(low, high + 1) : (int)improved["answers"]![item]! + change, 0, 10);

        return new JsonObject
        {
            ["instrument"] = "ons4",
            ["completedOn"] = on.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["answers"] = new JsonObject
            {
                ["satisfied"] = Score("satisfied", 2, 6, random.Next(-1, 4)),
                ["worthwhile"] = Score("worthwhile", 3, 6, random.Next(-1, 3)),
                ["happy"] = Score("happy", 2, 6, random.Next(-1, 4)),
                ["anxious"] = Score("anxious", 4, 8, -random.Next(-1, 4)),
            },
        };
    }

    private static double[] PositiveHealth(Random random, double[]? first) =>
        Enumerable.Range(0, 6).Select(d => first is null ? 3 + random.Next(0, 7) / 2.0 : Math.Clamp(first[d] + (random.Next(-2, 6) / 2.0), 0, 10)).ToArray();

    // The referral made at its date, and the patient's sex.
    private static string Dated(string transaction, DateTimeOffset authored, bool male)
    {
        var bundle = JsonNode.Parse(transaction)!.AsObject();
        foreach (var entry in bundle["entry"]!.AsArray())
        {
            var resource = entry!["resource"]!.AsObject();
            switch ((string?)resource["resourceType"])
            {
                case "ServiceRequest":
                    resource["authoredOn"] = authored.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                    break;
                case "Patient":
                    resource["gender"] = male ? "male" : "female";
                    break;
            }
        }

        return bundle.ToJsonString();
    }

    // Test NHS numbers (999 …) with a valid modulus 11 check digit.
    private static string NhsNumber(int i)
    {
        for (var n = 100 + (i * 7); ; n++)
        {
            var digits = "999591" + n.ToString("000", CultureInfo.InvariantCulture);
            var check = 11 - (digits.Select((c, p) => (c - '0') * (10 - p)).Sum() % 11);
            if (check != 10)
            {
                return digits + (check == 11 ? 0 : check).ToString(CultureInfo.InvariantCulture);
            }
        }
    }

    // Test BSNs (9999 …) that pass the elfproef.
    private static string Bsn(int i)
    {
        for (var n = 1000 + (i * 7); ; n++)
        {
            var digits = "9999" + n.ToString("0000", CultureInfo.InvariantCulture);
            var sum = digits.Select((c, p) => (c - '0') * (9 - p)).Sum();
            for (var last = 0; last < 10; last++)
            {
                if ((sum - last) % 11 == 0)
                {
                    return digits + last.ToString(CultureInfo.InvariantCulture);
                }
            }
        }
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string DeterministicGuid(string id, int n) =>
        new Guid(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes($"{id}/{n}"))[..16]).ToString();
}
