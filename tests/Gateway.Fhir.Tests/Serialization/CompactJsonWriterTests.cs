using Gateway.Fhir.Serialization;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Gateway.Fhir.Tests.Serialization;

/// <summary>
/// The store's JSON of a resource (every version it keeps) is byte for byte what Firely's
/// <c>SerializeToString</c> gave before it was written into a kept buffer (issue 18).
/// </summary>
public sealed class CompactJsonWriterTests
{
    private static readonly BaseFhirJsonSerializer Firely = new(ModelInfo.ModelInspector);

    public static TheoryData<string> Examples() => new(Guide.ExampleFiles.Select(Path.GetFileName).OfType<string>());

    [Theory]
    [MemberData(nameof(Examples))]
    public void A_guide_example_is_written_as_Firely_writes_it(string fileName)
    {
        var resource = Guide.Example<Resource>(fileName);

        Assert.Equal(Firely.SerializeToString(resource), FhirSerialization.ToJson(resource));
    }

    [Fact]
    public void Odd_text_is_escaped_as_Firely_escapes_it()
    {
        var patient = new Patient
        {
            Id = "odd",
            Name = [new HumanName { Family = "Müller-Ørsted 'O\"Brien' <b>&amp; 李 😀", Given = ["Zoë\t\n\u0001\u2028", "\\path/"] }],
            Text = new Narrative { Status = Narrative.NarrativeStatus.Generated, Div = "<div xmlns=\"http://www.w3.org/1999/xhtml\">A &lt;b&gt; ü</div>" },
        };

        Assert.Equal(Firely.SerializeToString(patient), FhirSerialization.ToJson(patient));
    }

    [Fact]
    public void A_large_resource_then_a_small_one_and_a_filtered_one_are_each_written_whole()
    {
        var large = new Bundle { Type = Bundle.BundleType.Collection };
        for (var i = 0; i < 2000; i++)
        {
            large.Entry.Add(new Bundle.EntryComponent { Resource = new Patient { Id = $"p{i}", Name = [new HumanName { Family = new string('x', 200) }] } });
        }

        var small = new Patient { Id = "small", BirthDate = "1951-03-08" };
        Func<SerializationFilter> summary = SerializationFilter.ForSummary;

        Assert.Equal(Firely.SerializeToString(large), FhirSerialization.ToJson(large));
        Assert.Equal(Firely.SerializeToString(small), FhirSerialization.ToJson(small));
        Assert.Equal(Firely.SerializeToString(small, false, summary), FhirSerialization.ToJson(small, filter: summary));
    }
}
