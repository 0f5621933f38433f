using Hl7.Fhir.Model;

namespace Gateway.Fhir.Conformance;

/// <summary>One resource of profiles/ and the file it came from, so every problem can name the file.</summary>
public sealed record ConformanceFile(string FileName, Resource Resource)
{
    public string Url => Resource is IConformanceResource conformance ? conformance.Url ?? "" : "";
}
