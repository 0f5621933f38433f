using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gateway.Cli.Tests;

/// <summary>Referrals the samples' records need, made from the GP sample transaction and sent with `gateway send`.</summary>
public static partial class Referrals
{
    /// <summary>The GP sample for another patient of Hillside's (NHS number, birth date, postcode) under another referral number.</summary>
    public static string HillsideTransaction(string nhsNumber, string birthDate, string postcode, string referralNumber) =>
        File.ReadAllText(RepositoryFiles.Sample("gp/referral-transaction.json"))
            .Replace("9995908301", nhsNumber, StringComparison.Ordinal)
            .Replace("1951-03-08", birthDate, StringComparison.Ordinal)
            .Replace("WS2 8LD", postcode, StringComparison.Ordinal)
            .Replace("SP-2026-1187", referralNumber, StringComparison.Ordinal);

    /// <summary>The GP sample rewritten as the Dutch practice (AGB 01234567) referring a client to the welfare organisation (URA 90000382).</summary>
    public static string DutchTransaction(string verwijzingId, string bsn, string family, string birthDate, string postcode) =>
        File.ReadAllText(RepositoryFiles.Sample("gp/referral-transaction.json"))
            .Replace("https://fhir.nhs.uk/Id/nhs-number\", \"value\": \"9995908301", "http://fhir.nl/fhir/NamingSystem/bsn\", \"value\": \"" + bsn, StringComparison.Ordinal)
            .Replace("https://fhir.nhs.uk/Id/nhs-number|9995908301", "http://fhir.nl/fhir/NamingSystem/bsn|" + bsn, StringComparison.Ordinal)
            .Replace("\"Okafor\"", $"\"{family}\"", StringComparison.Ordinal)
            .Replace("1951-03-08", birthDate, StringComparison.Ordinal)
            .Replace("WS2 8LD", postcode, StringComparison.Ordinal)
            .Replace("\"GB\"", "\"NL\"", StringComparison.Ordinal)
            .Replace("https://fhir.nhs.uk/Id/ods-organization-code|M85001", "http://fhir.nl/fhir/NamingSystem/agb-z|01234567", StringComparison.Ordinal)
            .Replace("https://fhir.nhs.uk/Id/ods-organization-code|HFX01", "http://fhir.nl/fhir/NamingSystem/ura|90000382", StringComparison.Ordinal)
            .Replace("https://hillside.example/referrals", "https://de-brug.example/verwijzingen", StringComparison.Ordinal)
            .Replace("SP-2026-1187", verwijzingId, StringComparison.Ordinal);

    /// <summary>The ServiceRequest id in `send`'s lines for a transaction-response (<c>entry 2: 201 Created  ServiceRequest/x/_history/1</c>).</summary>
    public static string ServiceRequestId(CliRun sent) => ServiceRequestLocation().Match(sent.Output) is { Success: true } m
        ? m.Groups[1].Value
        : throw new InvalidOperationException("No ServiceRequest in the answer: " + sent);

    /// <summary>The referral's Task, found as the performer's client (token from `gateway token`).</summary>
    public static async Task<string> TaskIdAsync(SandboxGateway gateway, string client, string serviceRequestId)
    {
        var token = await gateway.RunAsync("token", "--client", client, "--scope", "system/Task.rs");
        Assert.True(token.ExitCode == 0, token.ToString());
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Output.Trim());
        using var bundle = JsonDocument.Parse(await http.GetStringAsync($"{gateway.Url}/fhir/Task?focus=ServiceRequest/{serviceRequestId}"));
        return bundle.RootElement.GetProperty("entry")[0].GetProperty("resource").GetProperty("id").GetString()!;
    }

    [GeneratedRegex(@"ServiceRequest/([A-Za-z0-9\-\.]+)")]
    private static partial Regex ServiceRequestLocation();
}
