using Gateway.Fhir.Access;
using Gateway.Fhir.Audit;
using Gateway.Fhir.Search.Index;
using Gateway.Fhir.Validation;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Tests.Search;

/// <summary>
/// Index extraction walks plain element chains on the POCO instead of through the FHIRPath engine
/// (issue 9): the rows must be exactly those the FHIRPath evaluation of every branch gives, in the
/// same order, for what the gateway stores.
/// </summary>
public sealed class MemberPathExtractionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Resources() => new(Stored().Keys);

    [Theory]
    [MemberData(nameof(Resources))]
    public void Rows_are_those_of_the_FHIRPath_evaluation(string name)
    {
        var resource = Stored()[name];

        var walked = SearchIndexer.Extract(resource, walkMemberPaths: true);
        var evaluated = SearchIndexer.Extract(resource, walkMemberPaths: false);

        Assert.Equal(evaluated.Tokens, walked.Tokens);
        Assert.Equal(evaluated.Strings, walked.Strings);
        Assert.Equal(evaluated.Dates, walked.Dates);
        Assert.Equal(evaluated.References, walked.References);
        Assert.NotEmpty(walked.Tokens.Concat<object>(walked.Strings).Concat(walked.Dates).Concat(walked.References));
    }

    [Fact]
    public void The_referral_resources_parameters_are_walked_except_the_few_that_need_FHIRPath()
    {
        string[] types = ["Patient", "Consent", "ServiceRequest", "Task", "Provenance", "AuditEvent", "QuestionnaireResponse"];
        var branches = types.SelectMany(type => SearchParameterRegistry.Registered(type).SelectMany(p => p.Paths.Select(path => (p.Definition, path)))).ToList();

        var evaluated = branches.Where(b => b.path.Members is null).Select(b => $"{b.Definition.ResourceType}.{b.Definition.Name}").Order(StringComparer.Ordinal);

        // Patient.deceased is "exists() and != false", email and phone filter telecom by system, death-date and Provenance.when are type casts.
        Assert.Equal(["Patient.death-date", "Patient.deceased", "Patient.email", "Patient.phone", "Provenance.when"], evaluated);
    }

    [Fact]
    public void The_FHIRPath_branches_that_filter_or_cast_an_element_chain_are_guarded_by_that_chain()
    {
        string[] types = ["Patient", "Consent", "ServiceRequest", "Task", "Provenance", "AuditEvent", "QuestionnaireResponse"];
        var guarded = types.SelectMany(type => SearchParameterRegistry.Registered(type)
                .SelectMany(p => p.Paths.Where(path => path.Guard is not null).Select(path => $"{type}.{p.Definition.Name}: {string.Join('.', path.Guard!)}")))
            .Order(StringComparer.Ordinal);

        // Where the chain reaches nothing (a Patient without telecom, the gateway's Provenance without
        // occurred) the branch is not evaluated; Rows_are_those_of_the_FHIRPath_evaluation holds
        // resources with and without each.
        Assert.Equal(["Patient.death-date: deceased", "Patient.email: telecom", "Patient.phone: telecom", "Provenance.when: occurred"], guarded);
    }

    private static Dictionary<string, Resource> Stored()
    {
        var resources = new Dictionary<string, Resource>(StringComparer.Ordinal);
        foreach (var file in Guide.ExampleFiles)
        {
            resources[Path.GetFileName(file)] = Guide.Example<Resource>(Path.GetFileName(file));
        }

        var bundle = (Bundle)ResourceParser.ParseJson(File.ReadAllBytes(Path.Combine(Samples, "gp", "referral-transaction.json"))).Resource!;
        foreach (var entry in bundle.Entry)
        {
            resources[$"referral-transaction {entry.Resource!.TypeName}"] = entry.Resource;
        }

        var gp = new CallingPartner("hillside-emis", "hillside-gp", "gp", SmartScopes.Parse("system/*.cruds"));
        resources["Provenance of routing"] = ProvenanceBuilder.Build(["Task/t1/_history/1", "Patient/p1/_history/2"], created: true, "Routed", gp, ["ServiceRequest/s1/_history/1"], Now);
        var occurred = ProvenanceBuilder.Build(["Task/t1/_history/2"], created: false, "Moved", gp, [], Now);
        occurred.Occurred = new FhirDateTime("2026-11-23T11:00:00+01:00");
        resources["Provenance with an occurred time"] = occurred;
        resources["AuditEvent of a search"] = AuditEventBuilder.Build(new AuditRecord(Now, "hfactor-crm", "hfactor-housing", "GET", "search-type", "Task", null, "owner=Organization/hfactor-housing", 200, "10.0.0.7"));
        resources["AuditEvent of a read"] = AuditEventBuilder.Build(new AuditRecord(Now, "hillside-emis", "hillside-gp", "GET", "read", "Patient", "p1", null, 404, null));
        resources["Patient with repeats and extension-only values"] = RichPatient();
        resources["Observation with choice values and components"] = RichObservation();
        return resources;
    }

    private static string Samples => Path.Combine(RepositoryRoot(), "..", "shared", "samples");

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "InteropGateway.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("InteropGateway.sln not found above " + AppContext.BaseDirectory);
    }

    private static Patient RichPatient()
    {
        var patient = new Patient
        {
            Active = true,
            Gender = AdministrativeGender.Female,
            BirthDateElement = new Date("1948-03"),
            Deceased = new FhirDateTime("2026-01-02T10:00:00+01:00"),
            ManagingOrganization = new ResourceReference("Organization/hillside-gp"),
            GeneralPractitioner = [new ResourceReference("https://example.org/fhir/Practitioner/p7/_history/3"), new ResourceReference("#contained"), new ResourceReference("urn:uuid:6f1c0a55-9a8e-4a8b-9c55-1c1d8a3a2b10")],
            Identifier =
            [
                new Identifier("https://fhir.nhs.uk/Id/nhs-number", "9434765919") { Type = new CodeableConcept { Text = "NHS number" } },
                new Identifier("http://fhir.nl/fhir/NamingSystem/bsn", "111222333"),
            ],
            Name =
            [
                new HumanName { Family = "Jönsson", Given = ["Märta", "Ann"], Prefix = ["Mrs"], Text = "Märta Ann Jönsson" },
                new HumanName { Family = "Smith", Given = ["Margaret"] },
            ],
            Telecom =
            [
                new ContactPoint(ContactPoint.ContactPointSystem.Email, ContactPoint.ContactPointUse.Home, "m@example.org"),
                new ContactPoint(ContactPoint.ContactPointSystem.Phone, null, "01632 960001"),
            ],
            Address =
            [
                new Address { Line = ["1 Church Lane", "Flat 2"], City = "Leeds", PostalCode = "LS1 4AP", Country = "GB", Use = Address.AddressUse.Home },
                new Address { City = "Kampen", Country = "NL" },
            ],
            Communication = [new Patient.CommunicationComponent { Language = new CodeableConcept("urn:ietf:bcp:47", "en-GB", "English") }],
            Link = [new Patient.LinkComponent { Other = new ResourceReference("Patient/old-1"), Type = Patient.LinkType.Replaces }],
        };

        // A family name with only an extension (no value) navigates but indexes nothing.
        patient.Name[1].FamilyElement = new FhirString { Extension = [new Extension("http://hl7.org/fhir/StructureDefinition/data-absent-reason", new Code("unknown"))] };
        return patient;
    }

    private static Observation RichObservation() => new()
    {
        Status = ObservationStatus.Final,
        Code = new CodeableConcept { Text = "ONS4 life satisfaction", Coding = [new Coding("https://interop-gateway.example/fhir/CodeSystem/ons4", "life-satisfaction", "Life satisfaction"), new Coding("http://loinc.org", "x-1")] },
        Category = [new CodeableConcept { Text = "survey only" }],
        Subject = new ResourceReference("Patient/p1"),
        Effective = new Period { Start = "2026-11-01", End = "2026-11-02T10:30:00Z" },
        Value = new Quantity(7, "score"),
        Component =
        [
            new Observation.ComponentComponent { Code = new CodeableConcept("http://loinc.org", "a"), Value = new CodeableConcept("http://loinc.org", "LA1") },
            new Observation.ComponentComponent { Code = new CodeableConcept("http://loinc.org", "b"), DataAbsentReason = new CodeableConcept("http://terminology.hl7.org/CodeSystem/data-absent-reason", "asked-declined") },
        ],
        BasedOn = [new ResourceReference("ServiceRequest/s1")],
    };
}
