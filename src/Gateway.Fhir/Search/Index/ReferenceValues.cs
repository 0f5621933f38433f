using Hl7.Fhir.Model;

namespace Gateway.Fhir.Search.Index;

/// <summary>Reference rows per http://hl7.org/fhir/R4/search.html#reference.</summary>
internal static class ReferenceValues
{
    public static void Index(string param, SearchPath path, Base value, IndexRowsBuilder rows)
    {
        switch (value)
        {
            case ResourceReference reference when LiteralReference.Parse(reference.Reference) is { } literal
                && (path.RequiredTargetType is null || path.RequiredTargetType == literal.TargetType):
                rows.Add(new ReferenceIndexRow(param, literal.TargetType, literal.TargetId, literal.Url));
                break;

            // canonical (and uri) elements searched as references, e.g. QuestionnaireResponse.questionnaire;
            // the "|version" suffix is not part of the canonical URL (http://hl7.org/fhir/R4/references.html#canonical).
            case PrimitiveType { JsonValue: string url } when path.RequiredTargetType is null && url.Length > 0:
                var bar = url.IndexOf('|', StringComparison.Ordinal);
                rows.Add(new ReferenceIndexRow(param, null, null, bar < 0 ? url : url[..bar]));
                break;
        }
    }
}
