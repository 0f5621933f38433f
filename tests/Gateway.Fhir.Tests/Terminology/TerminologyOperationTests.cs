using Gateway.Fhir.Conformance;
using Gateway.Fhir.Terminology;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Tests.Terminology;

public sealed class TerminologyOperationTests
{
    private const string Reasons = GatewayGuide.CanonicalBase + "/ValueSet/social-prescribing-reason";
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Expand_lists_every_code_with_its_total()
    {
        var expansion = ValueSetExpand.Expand(Guide.Resources.Expansions.Expanded(Reasons)!, null, 0, null, Now).Expansion;

        Assert.Equal(14, expansion.Total);
        Assert.Contains(expansion.Contains, c => c.Code == "loneliness" && c.Display == "Loneliness");
    }

    [Fact]
    public void Expand_filters_on_code_and_display_and_pages()
    {
        var filtered = ValueSetExpand.Expand(Guide.Resources.Expansions.Expanded(Reasons)!, "HOUSING", 0, null, Now).Expansion;
        var page = ValueSetExpand.Expand(Guide.Resources.Expansions.Expanded(Reasons)!, null, 2, 3, Now).Expansion;

        Assert.Equal(["housing-condition-affecting-health"], filtered.Contains.Select(c => c.Code));
        Assert.Equal(3, page.Contains.Count);
        Assert.Equal(2, page.Offset);
        Assert.Equal(14, page.Total);
    }

    [Fact]
    public void Expand_includes_the_SNOMED_concepts_a_value_set_enumerates()
    {
        var expansion = Guide.Resources.Expansions.Expanded(GatewayGuide.CanonicalBase + "/ValueSet/social-prescription-service")!.Expansion;

        Assert.Contains(expansion.Contains, c => c.System == "http://snomed.info/sct" && c.Code == "871731000000106");
        Assert.Contains(expansion.Contains, c => c.Code == "welzijn-op-recept");
    }

    [Fact]
    public void Lookup_gives_display_definition_and_properties()
    {
        var codeSystem = Guide.Resources.Find<CodeSystem>(GatewayGuide.CanonicalBase + "/CodeSystem/referral-business-status")!;

        var result = CodeSystemLookup.Lookup(codeSystem, "could-not-contact")!;

        Assert.Equal("Could not contact", result.GetSingleValue<FhirString>("display").Value);
        Assert.Contains(result.Parameter.Where(p => p.Name == "property"), p => p.Part.Any(x => x.Value is Code { Value: "task-status" }) && p.Part.Any(x => x.Value is Code { Value: "failed" }));
    }

    [Fact]
    public void Lookup_of_an_unknown_code_is_null() =>
        Assert.Null(CodeSystemLookup.Lookup(Guide.Resources.Find<CodeSystem>(GatewayGuide.CanonicalBase + "/CodeSystem/wor-status")!, "misschien"));
}
