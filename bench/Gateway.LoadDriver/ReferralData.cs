using System.Globalization;

namespace Gateway.LoadDriver;

/// <summary>
/// Realistic, unique referral data: the GP sample's transaction Bundle with a fresh NHS number
/// (valid check digit) and referral id each time, so no request meets another's patient.
/// </summary>
public sealed class ReferralData(string samplesFolder, string run, string dutchBundleFile)
{
    private readonly string _bundle = File.ReadAllText(Path.Combine(samplesFolder, "gp", "referral-transaction.json"));
    private readonly Lazy<string> _dutchBundle = new(() => File.ReadAllText(dutchBundleFile));
    private readonly string _housingCase = File.ReadAllText(Path.Combine(samplesFolder, "housing-case", "01-engaged-with-ons4.json"));
    private readonly string _run = run;

    /// <summary>The NHS number of referral <paramref name="n"/> of this driver run (check digit valid, unique within the run and across most runs).</summary>
    public string NhsNumber(long n)
    {
        // 9, then eight digits: the run's block of 4,000,000 and three numbers per referral, so that
        // skipping a body without a valid check digit never lands on the next referral's number.
        for (var k = RunBlock() * 4_000_000 + n * 3; ; k += 1)
        {
            var body = "9" + (k % 100_000_000).ToString("D8", CultureInfo.InvariantCulture);
            var sum = 0;
            for (var i = 0; i < 9; i++)
            {
                sum += (body[i] - '0') * (10 - i);
            }

            var check = 11 - sum % 11;
            if (check != 10)
            {
                return body + (check == 11 ? 0 : check).ToString(CultureInfo.InvariantCulture);
            }
        }
    }

    public string ReferralId(long n) => $"LOAD-{_run}-{n}";

    /// <summary>The verwijzing id of Dutch referral <paramref name="n"/> of this run (the ServiceRequest identifier De Brug gives it).</summary>
    public string VerwijzingId(long n) => $"WOR-{_run}-{n}";

    /// <summary>A BSN for Dutch referral <paramref name="n"/> of this run that passes the 11-test, unique within the run.</summary>
    public string Bsn(long n)
    {
        // 1, then seven digits: the run's block of 4,000,000 and three numbers per referral, as for NHS numbers.
        for (var k = RunBlock() * 4_000_000 + n * 3; ; k += 1)
        {
            var body = "1" + (k % 10_000_000).ToString("D7", CultureInfo.InvariantCulture);
            var sum = 0;
            for (var i = 0; i < 8; i++)
            {
                sum += (body[i] - '0') * (9 - i);
            }

            if (sum % 11 < 10)
            {
                return body + (sum % 11).ToString(CultureInfo.InvariantCulture);
            }
        }
    }
    // Stable across processes (string.GetHashCode is not), so a later run finds the preload's patients.
    private long RunBlock() => _run.Aggregate(0L, (sum, c) => (sum * 31 + c) % 1_000_003) % 25;

    public string Bundle(long n) => _bundle
        .Replace("9995908301", NhsNumber(n), StringComparison.Ordinal)
        .Replace("SP-2026-1187", ReferralId(n), StringComparison.Ordinal);

    /// <summary>
    /// De Brug's referral transaction (the sandbox's seed, Patient, Consent for the welfare
    /// organisation, ServiceRequest) for Dutch referral <paramref name="n"/>: the patient is
    /// client <c>n % 4</c> of <see cref="WorExportFile"/>, so a generated row confirms them.
    /// </summary>
    public string DutchBundle(long n)
    {
        var client = WorExportFile.Client(n);
        return _dutchBundle.Value
            .Replace("999911120", Bsn(n), StringComparison.Ordinal)
            .Replace("WOR-2026-0091", VerwijzingId(n), StringComparison.Ordinal)
            .Replace("\"de Vries\"", $"\"{client.Family}\"", StringComparison.Ordinal)
            .Replace("1948-02-14", client.BirthDate, StringComparison.Ordinal)
            .Replace("8261 AB", client.Postcode, StringComparison.Ordinal);
    }

    public string Patient(long n) => $$"""
        {"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"{{NhsNumber(n)}}"}],
         "name":[{"family":"Load{{n}}","given":["Test"]}],"birthDate":"1951-03-08",
         "address":[{"postalCode":"WS2 8LD","country":"GB"}]}
        """;

    public static string ServiceRequest(string patientId, string referralId) => $$"""
        {"resourceType":"ServiceRequest","identifier":[{"system":"https://hillside.example/referrals","value":"{{referralId}}"}],
         "status":"active","intent":"order",
         "category":[{"coding":[{"system":"http://snomed.info/sct","code":"306206005"}]}],
         "code":{"coding":[{"system":"http://snomed.info/sct","code":"871731000000106"}]},
         "reasonCode":[{"text":"Lonely and low in mood since bereavement"}],
         "subject":{"reference":"Patient/{{patientId}}"},"requester":{"reference":"Organization/hillside-gp"},
         "performer":[{"reference":"Organization/hfactor-housing"}],"authoredOn":"2026-09-28T10:20:00+01:00"}
        """;

    /// <summary>The housing-case sample for referral <paramref name="n"/>, a new message each time.</summary>
    public string HousingCase(long n) => _housingCase
        .Replace("SP-2026-1187", ReferralId(n), StringComparison.Ordinal)
        .Replace("9995908301", NhsNumber(n), StringComparison.Ordinal)
        .Replace("5b0f6a52-8d0e-4f57-9a51-2f1f3c0b7e11", Guid.NewGuid().ToString(), StringComparison.Ordinal);
}
