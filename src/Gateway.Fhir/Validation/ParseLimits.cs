namespace Gateway.Fhir.Validation;

/// <summary>
/// How much a request's resource may hold before it is parsed (issue 17): Firely, validation and
/// the search index do work per element, so a body small enough to pass the size limit can still
/// cost seconds. A Bundle's entries are counted by the bundle entry limit instead.
/// </summary>
public sealed record ParseLimits(int MaxRepeats, int MaxElements)
{
    /// <summary>Files the gateway reads itself (profiles/, its own responses): nothing to guard against.</summary>
    public static readonly ParseLimits None = new(int.MaxValue, int.MaxValue);
}
