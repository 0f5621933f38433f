using Hl7.Fhir.Model;

namespace Gateway.Testing;

/// <summary>
/// Resources for tests, made fresh each call so no test shares another's data, and valid against
/// the gateway's profiles in profiles/ (which every create and update must pass).
/// </summary>
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
        ReasonCode = [new CodeableConcept("https://interop-gateway.example/fhir/CodeSystem/social-prescribing-reason", "loneliness", "Loneliness")],
    };

    public static Hl7.Fhir.Model.Task Task(string serviceRequestId, string patientId, string ownerId, Hl7.Fhir.Model.Task.TaskStatus status = Hl7.Fhir.Model.Task.TaskStatus.Requested, string requesterId = TestPartners.Gp) => new()
    {
        Identifier = [new Identifier("https://gateway.example/referral-number", "R-" + Guid.NewGuid().ToString("N")[..8])],
        Status = status,
        Intent = Hl7.Fhir.Model.Task.TaskIntent.Order,
        Code = new CodeableConcept("http://hl7.org/fhir/CodeSystem/task-code", "fulfill", "Fulfill the focal request"),
        Focus = new ResourceReference($"ServiceRequest/{serviceRequestId}"),
        BasedOn = [new ResourceReference($"ServiceRequest/{serviceRequestId}")],
        For = new ResourceReference($"Patient/{patientId}"),
        Owner = new ResourceReference($"Organization/{ownerId}"),
        Requester = new ResourceReference($"Organization/{requesterId}"),
        AuthoredOn = "2026-09-28T10:21:00Z",
    };

    public static Organization OrganizationWithOds(string odsCode) => Organization("Organisation " + odsCode, odsCode);

    public static ServiceRequest MinimalServiceRequest(string subjectReference) => new()
    {
        Status = RequestStatus.Active,
        Intent = RequestIntent.Order,
        Subject = new ResourceReference(subjectReference),
    };

    /// <summary>The patient's active consent to share with <paramref name="partner"/> (SPEC §5), by default for a year from 28 September 2026.</summary>
    public static Consent Consent(string patientId, string partner, Period? period = null) => new()
    {
        Status = Hl7.Fhir.Model.Consent.ConsentState.Active,
        Scope = new CodeableConcept("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy"),
        Category = [new CodeableConcept("http://loinc.org", "59284-0")],
        Patient = new ResourceReference($"Patient/{patientId}"),
        DateTime = "2026-09-28T10:15:00+01:00",
        Provision = new Consent.provisionComponent
        {
            Type = Hl7.Fhir.Model.Consent.ConsentProvisionType.Permit,
            Period = period ?? new Period { Start = "2026-09-28", End = "2027-09-28" },
            Actor = [new Consent.provisionActorComponent
            {
                Role = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP"),
                Reference = new ResourceReference($"Organization/{partner}"),
            }],
            Action = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/consentaction", "disclose")],
        },
    };

    /// <summary>
    /// <see cref="Consent"/>, also allowing research use: a nested permit with purpose HRESCH
    /// (profiles/StructureDefinition-data-sharing-consent.json), what lets evaluators export the patient (SPEC §10).
    /// </summary>
    public static Consent ResearchConsent(string patientId, string partner)
    {
        var consent = Consent(patientId, partner);
        consent.Provision.Provision = [new Consent.provisionComponent
        {
            Type = Hl7.Fhir.Model.Consent.ConsentProvisionType.Permit,
            Purpose = [new Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", "HRESCH")],
        }];
        return consent;
    }

    /// <summary>A completed ONS4 measure for the referral (the IG's questionnaire, four answers 0 to 10).</summary>
    public static QuestionnaireResponse Ons4(string serviceRequestId, string patientId, string authored = "2026-10-01") => new()
    {
        Status = QuestionnaireResponse.QuestionnaireResponseStatus.Completed,
        Questionnaire = "https://interop-gateway.example/fhir/Questionnaire/ons4",
        BasedOn = [new ResourceReference($"ServiceRequest/{serviceRequestId}")],
        Subject = new ResourceReference($"Patient/{patientId}"),
        Authored = authored,
        Item = new[] { ("satisfied", 4), ("worthwhile", 5), ("happy", 3), ("anxious", 7) }
            .Select(a => new QuestionnaireResponse.ItemComponent { LinkId = a.Item1, Answer = [new() { Value = new Integer(a.Item2) }] })
            .ToList(),
    };
}
