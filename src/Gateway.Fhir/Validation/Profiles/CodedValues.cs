using Gateway.Fhir.Terminology;
using Hl7.Fhir.ElementModel;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Validation.Profiles;

/// <summary>
/// Binding checks (FHIR R4 terminologies.html#strength): a required binding needs a code from the
/// value set (for a CodeableConcept, at least one coding); an extensible one warns when codings are
/// given and none is from the value set, and lets text alone through.
/// </summary>
internal static class CodedValues
{
    /// <returns>null when the value conforms, else what is wrong.</returns>
    public static string? Check(PocoNode instance, BindingStrength strength, string valueSet, ValueSetExpansions expansions)
    {
        var codings = instance.Poco switch
        {
            CodeableConcept concept => concept.Coding.Select(c => (c.System, c.Code)).ToList(),
            Coding coding => [(coding.System, coding.Code)],
            _ when ((ITypedElement)instance).Value is { } value => [((string?)null, value.ToString())],
            _ => [],
        };

        if (codings.Any(c => expansions.Contains(valueSet, c.System, c.Code)))
        {
            return null;
        }

        if (codings.Count == 0)
        {
            return strength == BindingStrength.Required ? $"has no code, but a code from {valueSet} is required" : null;
        }

        var given = string.Join(", ", codings.Select(c => c.System is null ? c.Code : $"{c.System}|{c.Code}"));
        return $"{given} {(codings.Count == 1 ? "is" : "are")} not in {valueSet}";
    }
}
