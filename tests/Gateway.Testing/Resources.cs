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

    public static Organization Organization(string name, string? odsCode = null) => new()
    {
        Name = name,
        Identifier = [new Identifier("https://fhir.nhs.uk/Id/ods-organization-code", odsCode ?? "ODS" + Interlocked.Increment(ref _sequence))],
    };

    public static ServiceRequest ServiceRequest(string patientId, string requesterId, string? performerId = null, string authoredOn = "2026-09-28T10:20:00+01:00") => new()
    {
        Identifier = [new Identifier("https://hillside.example/referrals", "SP-" + Guid.NewGuid().ToString("N")[..8])],
        Status = RequestStatus.Active,
        Intent = RequestIntent.Order,
        Category = [new CodeableConcept("http://snomed.info/sct", "306206005", "Referral to service")],
        Code = new CodeableConcept("http://snomed.info/sct", "871731000000106", "Referral to social prescribing service"),
        Subject = new ResourceReference($"Patient/{patientId}"),
        Requester = new ResourceReference($"Organization/{requesterId}"),
        Performer = performerId is null ? [] : [new ResourceReference($"Organization/{performerId}")],
        AuthoredOn = authoredOn,
    };

    public static Hl7.Fhir.Model.Task Task(string serviceRequestId, string patientId, string ownerId, Hl7.Fhir.Model.Task.TaskStatus status = Hl7.Fhir.Model.Task.TaskStatus.Requested) => new()
    {
        Identifier = [new Identifier("https://gateway.example/referral-number", "R-" + Guid.NewGuid().ToString("N")[..8])],
        Status = status,
        Intent = Hl7.Fhir.Model.Task.TaskIntent.Order,
        Code = new CodeableConcept("http://hl7.org/fhir/CodeSystem/task-code", "fulfill", "Fulfill the focal request"),
        Focus = new ResourceReference($"ServiceRequest/{serviceRequestId}"),
        BasedOn = [new ResourceReference($"ServiceRequest/{serviceRequestId}")],
        For = new ResourceReference($"Patient/{patientId}"),
        Owner = new ResourceReference($"Organization/{ownerId}"),
        Requester = new ResourceReference($"Organization/{TestPartners.Gp}"),
        AuthoredOn = "2026-09-28T10:21:00Z",
    };

    public static Organization OrganizationWithOds(string odsCode) => new()
    {
        Identifier = [new Identifier("https://fhir.nhs.uk/Id/ods-organization-code", odsCode)],
        Name = "Organisation " + odsCode,
    };

    public static ServiceRequest MinimalServiceRequest(string subjectReference) => new()
    {
        Status = RequestStatus.Active,
        Intent = RequestIntent.Order,
        Subject = new ResourceReference(subjectReference),
    };

    /// <summary>The patient's active consent to share with <paramref name="partner"/> (SPEC §5), within an optional period.</summary>
    public static Consent Consent(string patientId, string partner, Period? period = null) => new()
    {
        Status = Hl7.Fhir.Model.Consent.ConsentState.Active,
        Scope = new CodeableConcept("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy"),
        Category = [new CodeableConcept("http://loinc.org", "59284-0")],
        Patient = new ResourceReference($"Patient/{patientId}"),
        Provision = new Hl7.Fhir.Model.Consent.provisionComponent
        {
            Type = Hl7.Fhir.Model.Consent.ConsentProvisionType.Permit,
            Period = period,
            Actor =
            [
                new Hl7.Fhir.Model.Consent.provisionActorComponent
                {
                    Role = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP"),
                    Reference = new ResourceReference($"Organization/{partner}"),
                },
            ],
        },
    };
}
