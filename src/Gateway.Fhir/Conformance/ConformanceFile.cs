using Hl7.Fhir.Model;

namespace Gateway.Fhir.Conformance;

/// <summary>One resource of profiles/ and the file it came from, so every problem can name the file.</summary>
public sealed record ConformanceFile(string FileName, Resource Resource)
{
    public string Url => UrlOf(Resource) ?? "";

    /// <summary>The canonical url of a conformance resource; Measure (a knowledge artifact) is no IConformanceResource in the SDK.</summary>
    public static string? UrlOf(Resource resource) => resource switch
    {
        IConformanceResource conformance => conformance.Url,
        Measure measure => measure.Url,
        _ => null,
    };
}
