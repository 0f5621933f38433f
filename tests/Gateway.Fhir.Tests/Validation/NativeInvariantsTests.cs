using System.Globalization;
using Gateway.Fhir.Serialization;
using Gateway.Fhir.Validation.Profiles;
using Gateway.Testing;
using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;
using Hl7.FhirPath;
using Hl7.FhirPath.Expressions;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Tests.Validation;

/// <summary>
/// The guide's invariants evaluated in C# (NativeInvariants) give FHIRPath's answer wherever they
/// answer at all: every case below is evaluated both ways, on the node the profile walker hands
/// the invariant, and FHIRPath is asked the way the walker asks it (empty holds, an error fails).
/// </summary>
public sealed class NativeInvariantsTests
{
    private const string Nhs = "https://fhir.nhs.uk/Id/nhs-number";
    private const string Bsn = "http://fhir.nl/fhir/NamingSystem/bsn";
    private const string BusinessStatus = "https://interop-gateway.example/fhir/CodeSystem/referral-business-status";
    private static readonly FhirPathCompiler Compiler = new(new SymbolTable().AddStandardFP().AddFhirExtensions());

    [Fact]
    public void Every_native_invariant_is_one_the_guide_publishes_word_for_word()
    {
        var published = Guide.Resources.Profiles.SelectMany(p => p.Differential.Element).SelectMany(e => e.Constraint).Select(c => c.Expression).ToHashSet(StringComparer.Ordinal);

        Assert.All(NativeInvariants.Expressions, expression => Assert.Contains(expression, published));
    }

    [Fact]
    public void A_changed_expression_is_left_to_FHIRPath() =>
        Assert.Null(NativeInvariants.For(NativeInvariants.GwSr1 + " or true"));

    [Fact]
    public void Identifier_check_digits_agree_with_FHIRPath()
    {
        string?[] values =
        [
            "9434765919", "9434765918", "9995908302", "999590830", "94347659190", "943 476 5919", "94347659l9", "9434765919\n", " 9434765919",
            "999911120", "999911121", "000000000", "000000005", "000000011", "123456782", "12345678a", "١٢٣٤٥٦٧٨٢", null,
        ];
        var random = new Random(18);
        var drawn = Enumerable.Range(0, 400).SelectMany(_ => new[] { random.NextInt64(0, 10_000_000_000).ToString("D10", CultureInfo.InvariantCulture), random.Next(0, 1_000_000_000).ToString("D9", CultureInfo.InvariantCulture) });
        string?[] systems = [Nhs, Bsn, "https://hillside.example/patients", null];
        var identifiers = systems.SelectMany(system => values.Concat(drawn).Select(value => new Identifier(system, value))).ToList();
        identifiers.Add(new Identifier { SystemElement = new FhirUri { Extension = [Absent()] }, Value = "9434765919" });
        identifiers.Add(new Identifier { System = Nhs, ValueElement = new FhirString { Extension = [Absent()] } });

        var decided = 0;
        foreach (var identifier in identifiers)
        {
            var patient = new Patient { Identifier = [identifier] };
            var node = ElementValues.Items(patient.ToPocoNode(), "identifier")[0];
            decided += AgreeWithFhirPath(NativeInvariants.GwPat2, node, patient);
            decided += AgreeWithFhirPath(NativeInvariants.GwPat3, node, patient);
        }

        // The plain cases (all digits, the right length) are the native ones.
        Assert.True(decided > identifiers.Count, $"only {decided} of {2 * identifiers.Count} evaluations were native");
    }

    [Fact]
    public void A_patient_with_a_national_number_agrees_with_FHIRPath()
    {
        Identifier[][] lists =
        [
            [], [new(Nhs, "9434765919")], [new(Bsn, "999911120")], [new("https://hillside.example/patients", "1")],
            [new("https://hillside.example/patients", "1"), new(Bsn, "1")], [new(null, "9434765919")],
            [new Identifier { SystemElement = new FhirUri { Extension = [Absent()] } }, new(Nhs, "9434765919")],
        ];

        foreach (var identifiers in lists)
        {
            var patient = new Patient { Identifier = [.. identifiers] };
            AgreeWithFhirPath(NativeInvariants.GwPat1, patient.ToPocoNode(), patient);
        }

        Assert.Equal(1, AgreeWithFhirPath(NativeInvariants.GwPat1, Guide.Example<Patient>("Patient-example-margaret.json").ToPocoNode()));
    }

    [Fact]
    public void Consent_provisions_agree_with_FHIRPath()
    {
        Period?[] periods = [null, new(), new() { Start = "2026-01-01" }, new() { End = "2026-01-01" }, new() { Start = "2026-01-01", End = "2025-01-01" },
            new() { Start = "2026-01-01", End = "2027-01-01" }, new() { StartElement = new FhirDateTime { Extension = [Absent()] } }];
        Consent.provisionComponent[][] nested = [[], [new() { Type = Consent.ConsentProvisionType.Permit, Purpose = [new("http://terminology.hl7.org/CodeSystem/v3-ActReason", "HRESCH")] }],
            [new() { Type = Consent.ConsentProvisionType.Deny }]];
        var consents = new List<Consent> { new() };
        consents.AddRange(periods.SelectMany(period => nested.Select(inner => new Consent { Provision = new() { Period = period, Provision = [.. inner.Select(p => (Consent.provisionComponent)p.DeepCopy())] } })));

        foreach (var consent in consents)
        {
            AgreeWithFhirPath(NativeInvariants.GwCon1, consent.ToPocoNode(), consent);
            AgreeWithFhirPath(NativeInvariants.GwCon2, consent.ToPocoNode(), consent);
        }

        var example = Guide.Example<Consent>("Consent-example-margaret-hfactor.json");
        AgreeWithFhirPath(NativeInvariants.GwCon1, example.ToPocoNode());
        Assert.Equal(1, AgreeWithFhirPath(NativeInvariants.GwCon2, example.ToPocoNode()));
    }

    [Fact]
    public void Referral_reasons_agree_with_FHIRPath()
    {
        foreach (var (codes, references) in new[] { (0, 0), (1, 0), (0, 1), (2, 1) })
        {
            var request = new ServiceRequest
            {
                ReasonCode = [.. Enumerable.Range(0, codes).Select(_ => new CodeableConcept("http://snomed.info/sct", "1"))],
                ReasonReference = [.. Enumerable.Range(0, references).Select(_ => new ResourceReference("Condition/c1"))],
            };
            Assert.Equal(1, AgreeWithFhirPath(NativeInvariants.GwSr1, request.ToPocoNode()));
        }
    }

    [Fact]
    public void Task_rules_agree_with_FHIRPath()
    {
        var statuses = Enum.GetValues<FhirTask.TaskStatus>().Select(s => (FhirTask.TaskStatus?)s).Append(null);
        CodeableConcept?[] businessStatuses = [null, new(BusinessStatus, "awaiting-routing"), new(BusinessStatus, "no-capacity"), new(BusinessStatus, "accepted"),
            new("https://elsewhere.example", "no-capacity"), new() { Coding = [new Coding(null, "awaiting-routing")] }];
        (ResourceReference? Focus, ResourceReference[] BasedOn)[] links =
        [
            (null, []), (new ResourceReference("ServiceRequest/sr1"), []), (new ResourceReference("ServiceRequest/sr1"), [new("ServiceRequest/sr1")]),
            (new ResourceReference("ServiceRequest/sr1"), [new("ServiceRequest/sr2"), new("ServiceRequest/sr1")]), (new ResourceReference("ServiceRequest/sr1"), [new("ServiceRequest/sr2")]),
            (new ResourceReference { Display = "no reference" }, [new("ServiceRequest/sr2")]), (new ResourceReference { ReferenceElement = new FhirString { Extension = [Absent()] } }, []),
            (new ResourceReference("ServiceRequest/sr1"), [new ResourceReference { ReferenceElement = new FhirString { Extension = [Absent()] } }]),
        ];

        var decided = 0;
        var evaluated = 0;
        foreach (var status in statuses)
        {
            foreach (var (withReason, withOutput, withOwner) in new[] { (false, false, false), (true, true, true), (true, false, false), (false, true, true) })
            {
                foreach (var businessStatus in businessStatuses)
                {
                    foreach (var (focus, basedOn) in links)
                    {
                        var task = new FhirTask
                        {
                            StatusElement = status is null ? null! : new Code<FhirTask.TaskStatus>(status),
                            StatusReason = withReason ? new CodeableConcept { Text = "why" } : null,
                            Output = withOutput ? [new FhirTask.OutputComponent { Type = new CodeableConcept { Text = "o" }, Value = new FhirString("x") }] : [],
                            Owner = withOwner ? new ResourceReference("Organization/o1") : null,
                            BusinessStatus = (CodeableConcept?)businessStatus?.DeepCopy(),
                            Focus = (ResourceReference?)focus?.DeepCopy(),
                            BasedOn = [.. basedOn.Select(b => (ResourceReference)b.DeepCopy())],
                        };
                        foreach (var expression in new[] { NativeInvariants.GwTask1, NativeInvariants.GwTask2, NativeInvariants.GwTask3, NativeInvariants.GwTask4 })
                        {
                            decided += AgreeWithFhirPath(expression, task.ToPocoNode(), task);
                            evaluated++;
                        }
                    }
                }
            }
        }

        Assert.True(decided > evaluated * 3 / 4, $"only {decided} of {evaluated} evaluations were native");
    }

    /// <returns>1 when the native form answered (and agreed), 0 when it left the case to FHIRPath.</returns>
    private static int AgreeWithFhirPath(string expression, PocoNode node, Resource? resource = null)
    {
        var resourceNode = resource?.ToPocoNode() ?? node;
        bool fhirPath;
        try
        {
            fhirPath = Compiler.Compile(expression).Predicate(node, new FhirEvaluationContext { Resource = resourceNode, RootResource = resourceNode });
        }
        catch (InvalidOperationException)
        {
            fhirPath = false;
        }

        var native = NativeInvariants.For(expression)!(node.Poco);
        if (native is null)
        {
            return 0;
        }

        Assert.True(native == fhirPath, $"{expression[..Math.Min(40, expression.Length)]}… on {Describe(node.Poco)}: native {native}, FHIRPath {fhirPath}");
        return 1;
    }

    private static string Describe(Base element) => element switch
    {
        Resource resource => FhirSerialization.ToJson(resource),
        Identifier identifier => $"{identifier.System}|{identifier.Value}",
        _ => element.TypeName,
    };

    private static Extension Absent() => new("http://hl7.org/fhir/StructureDefinition/data-absent-reason", new Code("unknown"));
}
