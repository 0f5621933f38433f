using Gateway.Fhir.Measures;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Tests.Measures;

/// <summary>The Measures of profiles/ describe what the evaluator computes: the same measures, groups and stratifiers.</summary>
public sealed class MeasureCatalogTests
{
    [Fact]
    public void Every_measure_the_evaluator_computes_is_in_the_guide_with_the_same_groups_and_stratifiers()
    {
        var published = Guide.Resources.OfType<Measure>().ToDictionary(m => m.Id!);

        Assert.Equal(MeasureCatalog.All.Select(m => m.Id).Order(), published.Keys.Order());
        foreach (var definition in MeasureCatalog.All)
        {
            var measure = published[definition.Id];
            Assert.Equal(definition.Url, measure.Url);
            Assert.Equal(definition.Groups.Select(g => g.Code), measure.Group.Select(g => g.Code.Coding[0].Code));
            Assert.All(measure.Group, g => Assert.Equal(definition.Stratifiers.Where(s => s != "reason" || g.Stratifier.Count > 6),
                g.Stratifier.Select(s => s.Code.Coding[0].Code)));
            Assert.All(measure.Group, g => Assert.Equal(MeasureCatalog.GroupSystem, g.Code.Coding[0].System));
        }
    }

    [Fact]
    public void Every_group_code_is_defined_in_the_measure_group_code_system()
    {
        var codes = Guide.Resources.OfType<CodeSystem>().Single(c => c.Url == MeasureCatalog.GroupSystem).Concept.Select(c => c.Code).ToHashSet();

        Assert.All(MeasureCatalog.All.SelectMany(m => m.Groups), g => Assert.Contains(g.Code, codes));
    }
}
