using System.Diagnostics.CodeAnalysis;

namespace Gateway.Fhir.Search.Index;

/// <summary>The FHIR search parameter types this gateway indexes (http://hl7.org/fhir/R4/search.html#ptypes).</summary>
public enum SearchParamKind
{
    Token,
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "FHIR's name for the parameter type.")]
    String,
    Date,
    Reference,
    Uri,

    /// <summary>The special parameter <c>near</c> (search.html#special), over a position.</summary>
    Position,
}
