using Gateway.Api.Tests.Workflow;
using Gateway.Fhir.Access;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Records;

/// <summary>The Dutch GP's referrals (to the test welfare organisation) that rows 1 to 4 of the wor-export sample name.</summary>
internal static class WorExportReferrals
{
    private static readonly (string Id, string Family, string BirthDate, string Postcode)[] Clients =
    [
        ("WOR-2026-0091", "de Vries", "1948-02-14", "8261 AB"),
        ("WOR-2026-0092", "Jansen", "1985-07-03", "8262 CD"),
        ("WOR-2026-0093", "El Amrani", "1962-09-22", "8061 EF"),
        ("WOR-2026-0094", "Smit", "1990-12-11", "8281 GH"),
    ];

    /// <summary>Creates the patients, consents and referrals; returns the ServiceRequest id per verwijzing_id.</summary>
    public static async Task<Dictionary<string, string>> CreateAsync(HttpClient dutchGp)
    {
        var requests = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, family, birthDate, postcode) in Clients)
        {
            var patient = Resources.Patient(family: family);
            patient.Identifier = [new Identifier(DataMinimisation.BsnSystem, Referrals.NewBsn())];
            patient.BirthDate = birthDate;
            patient.Address = [new Address { PostalCode = postcode, City = "Kampen", Country = "NL" }];
            var stored = await dutchGp.CreateAsync(patient);
            await dutchGp.CreateAsync(Resources.Consent(stored.Id, TestPartners.Welfare));
            var request = Resources.ServiceRequest(stored.Id, TestPartners.DutchGp, TestPartners.Welfare);
            request.Identifier = [new Identifier("https://de-brug.example/verwijzingen", id)];
            requests[id] = (await dutchGp.CreateAsync(request)).Id!;
        }

        return requests;
    }
}
