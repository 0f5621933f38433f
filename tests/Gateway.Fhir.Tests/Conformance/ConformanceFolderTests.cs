using Gateway.Fhir.Conformance;
using Gateway.Fhir.Validation;
using Gateway.Fhir.Validation.Profiles;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Tests.Conformance;

/// <summary>issue 5: profiles/ itself is valid FHIR R4, and a broken guide stops the start naming the file.</summary>
public sealed class ConformanceFolderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("profiles-").FullName;

    public static TheoryData<string> GuideFiles() =>
        new(Directory.EnumerateFiles(Guide.Folder, "*.json").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(GuideFiles))]
    public void Every_file_of_the_guide_is_valid_against_R4(string fileName)
    {
        var parsed = ResourceParser.ParseJson(File.ReadAllBytes(Path.Combine(Guide.Folder, fileName)));

        Assert.True(parsed.Succeeded, string.Join("; ", parsed.Issues.Select(i => $"{string.Join(",", i.Expression)} {i.Diagnostics}")));
        Assert.Empty(ResourceParser.Validate(parsed.Resource!));
        Assert.Empty(Guide.Validator.Validate(parsed.Resource!).Issues);
    }

    [Fact]
    public void The_guide_has_the_profiles_questionnaires_and_maps_of_the_spec()
    {
        Assert.Equal(["Consent", "Extension", "Extension", "Extension", "HealthcareService", "Organization", "Patient", "QuestionnaireResponse", "ServiceRequest", "Task"],
            Guide.Resources.Profiles.Select(p => p.Type).Order(StringComparer.Ordinal));
        Assert.Equal(["ons4", "positive-health"], Guide.Resources.OfType<Questionnaire>().Select(q => q.Id).Order(StringComparer.Ordinal));
        Assert.Equal(2, Guide.Resources.OfType<ConceptMap>().Count());
        Assert.All(Guide.Resources.Files, f => Assert.StartsWith(GatewayGuide.CanonicalBase + "/", f.Url, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_search_parameter_beyond_R4_is_published_in_the_guide()
    {
        Assert.All(Gateway.Fhir.Search.Index.GatewaySearchParameters.All, p => Assert.NotNull(Guide.Resources.Find<SearchParameter>(p.Url)));
    }

    [Fact]
    public void A_published_search_parameter_the_index_does_not_have_is_named()
    {
        Write("SearchParameter-task-due.json", File.ReadAllText(Path.Combine(Guide.Folder, "SearchParameter-task-due.json"))
            .Replace("Task.restriction.period.end", "Task.restriction.period.start", StringComparison.Ordinal));

        var problem = Assert.Throws<ConformanceLoadException>(() => ConformanceFolder.Load(_folder));

        Assert.Contains(problem.Problems, p => p.StartsWith("SearchParameter-task-due.json: search parameter 'due'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_that_is_not_FHIR_is_named()
    {
        Write("ValueSet-broken.json", """{"resourceType":"ValueSet","id":"broken","url":"x","status":"sometimes"}""");

        var problem = Assert.Throws<ConformanceLoadException>(() => ConformanceFolder.Load(_folder));

        Assert.Contains(problem.Problems, p => p.StartsWith("ValueSet-broken.json: ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_reference_to_nothing_in_the_guide_is_named()
    {
        Copy("CodeSystem-partner-kind.json");

        var problem = Assert.Throws<ConformanceLoadException>(() => ConformanceFolder.Load(_folder));

        Assert.Equal(["CodeSystem-partner-kind.json: 'https://interop-gateway.example/fhir/ValueSet/partner-kind' refers to nothing in profiles/."], problem.Problems);
    }

    [Fact]
    public void A_url_off_the_canonical_base_or_a_misnamed_file_is_named()
    {
        var withoutValueSet = System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(Path.Combine(Guide.Folder, "CodeSystem-wor-status.json")), "\"valueSet\":\\s*\"[^\"]+\",", "");
        Write("CodeSystem-odd.json", withoutValueSet.Replace("\"url\": \"https://interop-gateway.example/fhir/", "\"url\": \"https://elsewhere.example/fhir/", StringComparison.Ordinal));

        var problem = Assert.Throws<ConformanceLoadException>(() => ConformanceFolder.Load(_folder));

        Assert.Contains(problem.Problems, p => p.StartsWith("CodeSystem-odd.json: the file of CodeSystem 'wor-status' must be named", StringComparison.Ordinal));
        Assert.Contains(problem.Problems, p => p.StartsWith("CodeSystem-odd.json: url is 'https://elsewhere.example/", StringComparison.Ordinal));
    }

    [Fact]
    public void An_extension_definition_that_does_not_fix_its_own_url_is_named()
    {
        Write("StructureDefinition-service-capacity.json", File.ReadAllText(Path.Combine(Guide.Folder, "StructureDefinition-service-capacity.json"))
            .Replace("\"fixedUri\": \"https://interop-gateway.example/fhir/StructureDefinition/service-capacity\"", "\"fixedUri\": \"https://elsewhere.example/capacity\"", StringComparison.Ordinal));

        var problem = Assert.Throws<ConformanceLoadException>(() => ConformanceFolder.Load(_folder));

        Assert.Equal(["StructureDefinition-service-capacity.json: element 'Extension.url' must have fixedUri 'https://interop-gateway.example/fhir/StructureDefinition/service-capacity'."], problem.Problems);
    }

    [Fact]
    public void An_invariant_that_is_not_FHIRPath_is_named_when_the_validator_is_built()
    {
        foreach (var file in Directory.EnumerateFiles(Guide.Folder, "*.json"))
        {
            File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)));
        }

        var task = Path.Combine(_folder, "StructureDefinition-referral-task.json");
        File.WriteAllText(task, File.ReadAllText(task).Replace("status = 'completed' implies output.exists()", "status = = 'completed'", StringComparison.Ordinal));

        var problem = Assert.Throws<ConformanceLoadException>(() => new ProfileValidator(ConformanceFolder.Load(_folder)));

        Assert.Contains(problem.Problems, p => p.StartsWith("StructureDefinition-referral-task.json: invariant gw-task-2", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void Write(string name, string content) => File.WriteAllText(Path.Combine(_folder, name), content);

    private void Copy(string name) => File.Copy(Path.Combine(Guide.Folder, name), Path.Combine(_folder, name));
}
