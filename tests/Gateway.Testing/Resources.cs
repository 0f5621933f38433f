using Hl7.Fhir.Model;

namespace Gateway.Testing;

/// <summary>Resources for tests, made fresh each call so no test shares another's data.</summary>
public static class Resources
{
    private static int _sequence;

    /// <summary>A NHS number with a valid modulus-11 check digit, unique within the test run.</summary>
    public static string NewNhsNumber()
    {
        while (true)
        {
            var body = (900_000_000 + Interlocked.Increment(ref _sequence) * 7919 % 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var sum = body.Select((c, i) => (c - '0') * (10 - i)).Sum();
            var check = 11 - sum % 11;
            if (check == 11)
            {
                check = 0;
            }

            if (check != 10)
            {
                return body + check;
            }
        }
    }

    public static Patient Patient(string? nhsNumber = null, string family = "Okafor") => new()
    {
        Identifier = [new Identifier("https://fhir.nhs.uk/Id/nhs-number", nhsNumber ?? NewNhsNumber())],
        Name = [new HumanName { Family = family, Given = ["Margaret"] }],
        Gender = AdministrativeGender.Female,
        BirthDate = "1951-03-08",
        Address = [new Address { Line = ["14 Birchwood Close"], City = "Walsall", PostalCode = "WS2 8LD", Country = "GB" }],
    };

    public static Organization Organization(string odsCode) => new()
    {
        Identifier = [new Identifier("https://fhir.nhs.uk/Id/ods-organization-code", odsCode)],
        Name = "Organisation " + odsCode,
    };

    public static ServiceRequest ServiceRequest(string subjectReference) => new()
    {
        Status = RequestStatus.Active,
        Intent = RequestIntent.Order,
        Subject = new ResourceReference(subjectReference),
    };
}
