using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Validation.Profiles;

/// <summary>
/// The guide's invariants in C#, for the cases where that is plainly the same answer as FHIRPath.
/// Firely's FHIRPath evaluator took 40–180 µs of CPU an invariant (the NHS-number check digit the
/// most: 13 % of a Patient create's gateway CPU, docs/performance.md), a few microseconds of work.
/// A native form is used only for the exact expression text it was written for, so a profile that
/// changes an invariant is evaluated by FHIRPath again; and it answers null, "ask FHIRPath", for
/// anything outside the plain cases (a primitive with only an extension, an identifier that is not
/// all digits, two dates to compare), so every edge of FHIRPath's semantics stays FHIRPath's.
/// NativeInvariantsTests holds each against the compiled expression.
/// </summary>
internal static class NativeInvariants
{
    private const string NhsSystem = "https://fhir.nhs.uk/Id/nhs-number";
    private const string BsnSystem = "http://fhir.nl/fhir/NamingSystem/bsn";
    private const string BusinessStatusSystem = "https://interop-gateway.example/fhir/CodeSystem/referral-business-status";

    // Exactly as published in profiles/StructureDefinition-*.json.
    internal const string GwPat1 = "identifier.where(system = 'https://fhir.nhs.uk/Id/nhs-number' or system = 'http://fhir.nl/fhir/NamingSystem/bsn').exists()";

    internal const string GwPat2 = "system = 'https://fhir.nhs.uk/Id/nhs-number' implies (value.matches('^[0-9]{10}$') and ((value.substring(0, 1).toInteger() * 10 + value.substring(1, 1).toInteger() * 9 + value.substring(2, 1).toInteger() * 8 + value.substring(3, 1).toInteger() * 7 + value.substring(4, 1).toInteger() * 6 + value.substring(5, 1).toInteger() * 5 + value.substring(6, 1).toInteger() * 4 + value.substring(7, 1).toInteger() * 3 + value.substring(8, 1).toInteger() * 2 + value.substring(9, 1).toInteger()) mod 11 = 0))";

    internal const string GwPat3 = "system = 'http://fhir.nl/fhir/NamingSystem/bsn' implies (value.matches('^[0-9]{9}$') and value != '000000000' and ((value.substring(0, 1).toInteger() * 9 + value.substring(1, 1).toInteger() * 8 + value.substring(2, 1).toInteger() * 7 + value.substring(3, 1).toInteger() * 6 + value.substring(4, 1).toInteger() * 5 + value.substring(5, 1).toInteger() * 4 + value.substring(6, 1).toInteger() * 3 + value.substring(7, 1).toInteger() * 2 - value.substring(8, 1).toInteger()) mod 11 = 0))";

    internal const string GwCon1 = "provision.period.start.empty() or provision.period.end.empty() or provision.period.start <= provision.period.end";

    internal const string GwCon2 = "provision.provision.all(type = 'permit' and purpose.where(system = 'http://terminology.hl7.org/CodeSystem/v3-ActReason' and code = 'HRESCH').exists())";

    internal const string GwSr1 = "reasonCode.exists() or reasonReference.exists()";

    internal const string GwTask1 = "(status = 'rejected' or status = 'cancelled' or status = 'on-hold' or status = 'failed') implies statusReason.exists()";

    internal const string GwTask2 = "status = 'completed' implies output.exists()";

    internal const string GwTask3 = "owner.exists() or businessStatus.coding.where(system = 'https://interop-gateway.example/fhir/CodeSystem/referral-business-status' and (code = 'awaiting-routing' or code = 'no-capacity')).exists()";

    internal const string GwTask4 = "focus.reference.empty() or basedOn.reference contains focus.reference";

    private static readonly Dictionary<string, Func<Base, bool?>> ByExpression = new(StringComparer.Ordinal)
    {
        [GwPat1] = e => e is Patient p && !p.Identifier.Any(i => i.SystemElement is { Value: null }) ? p.Identifier.Any(i => i.System is NhsSystem or BsnSystem) : null,
        [GwPat2] = e => e is Identifier i ? CheckDigits(i, NhsSystem, 10, NhsHolds) : null,
        [GwPat3] = e => e is Identifier i ? CheckDigits(i, BsnSystem, 9, BsnHolds) : null,
        [GwCon1] = e => e is Consent c && (c.Provision?.Period?.StartElement is null || c.Provision.Period.EndElement is null) ? true : null,
        [GwCon2] = e => e is Consent c && (c.Provision is null || c.Provision.Provision.Count == 0) ? true : null,
        [GwSr1] = e => e is ServiceRequest s ? s.ReasonCode.Count > 0 || s.ReasonReference.Count > 0 : null,
        [GwTask1] = e => e is FhirTask { StatusElement.Value: { } status } t
            ? status is not (FhirTask.TaskStatus.Rejected or FhirTask.TaskStatus.Cancelled or FhirTask.TaskStatus.OnHold or FhirTask.TaskStatus.Failed) || t.StatusReason is not null
            : null,
        [GwTask2] = e => e is FhirTask { StatusElement.Value: { } status } t ? status != FhirTask.TaskStatus.Completed || t.Output.Count > 0 : null,
        [GwTask3] = e => e is FhirTask t
            ? t.Owner is not null || (t.BusinessStatus?.Coding.Any(c => c.System == BusinessStatusSystem && c.Code is "awaiting-routing" or "no-capacity") ?? false)
            : null,
        [GwTask4] = e => e is FhirTask t
            ? t.Focus?.ReferenceElement is null ? true
                : t.Focus.Reference is { } focus && t.BasedOn.Count > 0 && t.BasedOn.All(b => b.ReferenceElement is not { Value: null }) ? t.BasedOn.Any(b => b.Reference == focus) : null
            : null,
    };

    /// <summary>The native form of an invariant with exactly this expression, or null to evaluate it as FHIRPath.</summary>
    public static Func<Base, bool?>? For(string expression) => ByExpression.GetValueOrDefault(expression);

    internal static IReadOnlyCollection<string> Expressions => ByExpression.Keys;

    // "system = S implies (value.matches('^[0-9]{n}$') and …)": other systems hold; a value of exactly n ASCII digits is decided here.
    private static bool? CheckDigits(Identifier identifier, string system, int length, Func<string, bool> holds) =>
        identifier.System != system ? (identifier.SystemElement is { Value: null } ? null : true)
        : identifier.Value is { } value && value.Length == length && value.All(char.IsAsciiDigit) ? holds(value)
        : null;

    private static bool NhsHolds(string digits)
    {
        var sum = 0;
        for (var i = 0; i < 10; i++)
        {
            sum += (digits[i] - '0') * (i < 9 ? 10 - i : 1);
        }

        return sum % 11 == 0;
    }

    private static bool BsnHolds(string digits)
    {
        if (digits == "000000000")
        {
            return false;
        }

        var sum = -(digits[8] - '0');
        for (var i = 0; i < 8; i++)
        {
            sum += (digits[i] - '0') * (9 - i);
        }

        return sum % 11 == 0;
    }
}
