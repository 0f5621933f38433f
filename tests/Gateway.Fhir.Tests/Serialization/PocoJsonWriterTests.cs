using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gateway.Fhir.Access;
using Gateway.Fhir.Audit;
using Gateway.Fhir.Serialization;
using Gateway.Fhir.Workflow;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Tests.Serialization;

/// <summary>
/// The gateway's own JSON writer (issue 18, twelfth pass) writes the resources a wor-export row
/// stores (its Task versions, Provenance and measures) byte for byte as Firely does, and gives
/// every shape it does not write itself back to Firely, so what the store keeps is unchanged.
/// </summary>
public sealed class PocoJsonWriterTests
{
    private static readonly BaseFhirJsonSerializer Firely = new(ModelInfo.ModelInspector);
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 15, 4, 5, 678, TimeSpan.Zero);
    private static readonly CallingPartner Welfare = new("wor-client", "kampen-welzijn", "provider", SmartScopes.Parse("system/*.cruds"));

    [Fact]
    public void A_records_Provenance_is_written_by_the_gateway_as_Firely_writes_it()
    {
        var provenance = ProvenanceBuilder.Build(["Task/t1/_history/3", "QuestionnaireResponse/q1/_history/1"], created: false,
            "Applied wor-export/v1 record VERW-1 from kampen-welzijn. Status \"afgerond\" → completed; 'ü' + <b>&", Welfare, [], Now, component: "partner-records");
        provenance.Entity.Add(new Provenance.EntityComponent
        {
            Role = Provenance.ProvenanceEntityRole.Source,
            What = new ResourceReference { Identifier = new Identifier("https://example.org/record-id", "r-1"), Display = "wor-export/v1 record, GET /records/r-1" },
        });
        Stamp(provenance);

        AssertWrittenByGateway(provenance);
    }

    [Fact]
    public void The_workflows_Provenance_without_a_partner_and_with_sources_is_written_by_the_gateway_as_Firely_writes_it()
    {
        var provenance = ProvenanceBuilder.Build(["Task/t1/_history/1"], created: true, "Routed.", null, ["ServiceRequest/s1/_history/1", "Consent/c1/_history/2"], Now);
        Stamp(provenance);

        AssertWrittenByGateway(provenance);
    }

    [Fact]
    public void A_referral_Task_moved_with_a_note_and_an_output_is_written_by_the_gateway_as_Firely_writes_it()
    {
        var task = ReferralTask.New(new ServiceRequest { Id = "s1", Subject = new ResourceReference("Patient/p1"), Requester = new ResourceReference("Organization/gp") }, null, consented: true, "No performer yet.", Now);
        task.Status = FhirTask.TaskStatus.InProgress;
        task.BusinessStatus = ReferralTask.BusinessStatus("intake-done", "Intake done");
        task.Note.Add(new Annotation { Text = "Wandelgroep, 15-10-2026", Time = "2026-10-15" });
        // value[x] written with its type's name (valueReference, valueString), as Firely names a choice element.
        task.Output.Add(new FhirTask.OutputComponent { Type = new CodeableConcept("https://example.org/output", "service"), Value = new ResourceReference("HealthcareService/h1") });
        task.Output.Add(new FhirTask.OutputComponent { Type = new CodeableConcept("https://example.org/output", "text"), Value = new FhirString("Wandelgroep") });
        task.Input.Add(new FhirTask.ParameterComponent { Type = new CodeableConcept { Text = "score" }, Value = new FhirDecimal(3.50m) });
        task.Input.Add(new FhirTask.ParameterComponent { Type = new CodeableConcept { Text = "count" }, Value = new Integer(4) });
        task.Input.Add(new FhirTask.ParameterComponent { Type = new CodeableConcept { Text = "done" }, Value = new FhirBoolean(true) });
        Stamp(task);

        AssertWrittenByGateway(task);
    }

    [Fact]
    public void A_guide_measure_and_Task_are_written_by_the_gateway_as_Firely_writes_them()
    {
        foreach (var fileName in Guide.ExampleFiles.Select(Path.GetFileName).OfType<string>())
        {
            var resource = Guide.Example<Resource>(fileName);
            if (resource is QuestionnaireResponse or FhirTask)
            {
                AssertWrittenByGateway(resource);
            }
        }
    }

    public static TheoryData<string> GivenBackToFirely() =>
    [
        "a primitive with an extension",
        "a primitive with an id",
        "a primitive without a value",
        "an empty element",
        "an empty element in a list",
        "a list of primitives, one with an extension",
        "base64 data",
    ];

    [Theory]
    [MemberData(nameof(GivenBackToFirely))]
    public void A_shape_the_gateway_does_not_write_itself_is_written_by_Firely(string shape)
    {
        var patient = new Patient { Id = "p1", Active = true, Name = [new HumanName { Family = "Bakker", Given = ["Anna", "Maria"] }] };
        switch (shape)
        {
            case "a primitive with an extension":
                patient.ActiveElement.Extension.Add(new Extension("https://example.org/why", new FhirString("checked")));
                break;
            case "a primitive with an id":
                patient.ActiveElement.ElementId = "a1";
                break;
            case "a primitive without a value":
                patient.BirthDateElement = new Date { Extension = [new Extension("http://hl7.org/fhir/StructureDefinition/data-absent-reason", new Code("unknown"))] };
                break;
            case "an empty element":
                patient.MaritalStatus = new CodeableConcept();
                break;
            case "an empty element in a list":
                patient.Telecom.Add(new ContactPoint());
                break;
            case "a list of primitives, one with an extension":
                patient.Name[0].GivenElement[1].Extension.Add(new Extension("https://example.org/initial", new FhirBoolean(true)));
                break;
            case "base64 data":
                patient.Photo.Add(new Attachment { ContentType = "image/png", Data = [1, 2, 3, 250] });
                break;
        }

        Assert.False(TryWrite(patient, out _));
        Assert.Equal(Firely.SerializeToString(patient), FhirSerialization.ToJson(patient));
    }

    [Fact]
    public void A_contained_resource_and_an_extension_are_written_by_the_gateway_as_Firely_writes_them()
    {
        var patient = new Patient
        {
            Id = "p1",
            Contained = [new Organization { Id = "o1", Name = "De Brug" }],
            ManagingOrganization = new ResourceReference("#o1"),
            Extension = [new Extension("https://example.org/since", new FhirDateTime("2026-01-02T03:04:05+01:00")), new Extension("https://example.org/count", new Integer(2))],
        };

        AssertWrittenByGateway(patient);
    }

    private static void AssertWrittenByGateway(Resource resource)
    {
        Assert.True(TryWrite(resource, out var json), $"{resource.TypeName}/{resource.Id} was given back to Firely.");
        Assert.Equal(Firely.SerializeToString(resource), json);
        Assert.Equal(Firely.SerializeToString(resource), FhirSerialization.ToJson(resource));
    }

    private static bool TryWrite(Resource resource, out string json)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var written = PocoJsonWriter.TryWrite(resource, writer);
        writer.Flush();
        json = Encoding.UTF8.GetString(buffer.WrittenSpan);
        return written;
    }

    private static void Stamp(Resource resource)
    {
        resource.Id ??= "r1";
        resource.Meta ??= new Meta();
        resource.Meta.VersionId = "3";
        resource.Meta.LastUpdated = Now;
    }
}
