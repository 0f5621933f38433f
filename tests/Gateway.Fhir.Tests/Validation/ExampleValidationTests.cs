using Gateway.Fhir.Validation;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Tests.Validation;

/// <summary>issue 5: every example in profiles/examples/ validates clean, against R4 and against its profile.</summary>
public sealed class ExampleValidationTests
{
    public static TheoryData<string> Examples() => new(Guide.ExampleFiles.Select(Path.GetFileName).OfType<string>());

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_validates_clean(string fileName)
    {
        var parsed = ResourceParser.ParseJson(File.ReadAllBytes(Path.Combine(Guide.Folder, "examples", fileName)));
        Assert.True(parsed.Succeeded, string.Join("; ", parsed.Issues.Select(i => i.Diagnostics)));

        var result = Guide.Validator.Validate(parsed.Resource!);

        Assert.Empty(result.Issues.Select(i => i.Diagnostics));
        Assert.NotEmpty(result.Profiles);
    }

    [Fact]
    public void Every_profile_has_an_example()
    {
        var examples = Guide.ExampleFiles.Select(f => Guide.Example<Resource>(Path.GetFileName(f))).ToList();
        var exampled = examples.SelectMany(r => r.Meta?.Profile ?? []).ToHashSet();
        // An extension definition's example is a resource carrying the extension, at any depth (a MeasureReport's score has its interval).
        var extended = examples.SelectMany(Elements).OfType<Extension>().Select(e => e.Url).ToHashSet();

        Assert.All(Guide.Resources.Profiles, p => Assert.Contains(p.Url, p.Type == "Extension" ? extended : exampled));
    }

    private static IEnumerable<Base> Elements(Base element) => element.EnumerateElements()
        .SelectMany(e => e.Value is Base single ? [single] : e.Value as IEnumerable<Base> ?? [])
        .SelectMany(Elements).Prepend(element);
}
