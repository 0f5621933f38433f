namespace Gateway.Mapping;

/// <summary>What is wrong with a partner record, in words the partner can act on.</summary>
/// <param name="Code">The kind of problem; <see cref="CodeText"/> is its wire form.</param>
/// <param name="Location">
/// Where: a JSON path such as <c>$.tenant.nhsNumber</c>, or for CSV <c>row 3, column status</c>
/// (<c>header</c> or <c>header, column bsn</c> for the file as a whole).
/// </param>
/// <param name="Message">What is wrong and what is expected instead.</param>
public sealed record RecordIssue(RecordIssueCode Code, string Location, string Message)
{
    public string CodeText => Code switch
    {
        RecordIssueCode.Required => "required",
        RecordIssueCode.InvalidFormat => "invalid-format",
        RecordIssueCode.InvalidValue => "invalid-value",
        RecordIssueCode.UnknownStatus => "unknown-status",
        RecordIssueCode.CheckDigit => "check-digit",
        RecordIssueCode.OutOfRange => "out-of-range",
        RecordIssueCode.UnknownField => "unknown-field",
        RecordIssueCode.NotAllowed => "not-allowed",
        RecordIssueCode.UnknownReferral => "unknown-referral",
        RecordIssueCode.PatientMismatch => "patient-mismatch",
        RecordIssueCode.Conflict => "conflict",
        RecordIssueCode.UnknownService => "unknown-service",
        _ => throw new ArgumentOutOfRangeException(nameof(Code), Code, null),
    };

    public override string ToString() => $"{CodeText} at {Location}: {Message}";
}

public enum RecordIssueCode
{
    /// <summary>A required field is missing or empty.</summary>
    Required,

    /// <summary>The value is not written the way the format says (type, date notation, digits).</summary>
    InvalidFormat,

    /// <summary>Written correctly but not a value the format allows (an impossible date, an unknown code).</summary>
    InvalidValue,

    /// <summary>A status the partner's ConceptMap does not know.</summary>
    UnknownStatus,

    /// <summary>An NHS number whose modulus-11 check digit is wrong.</summary>
    CheckDigit,

    /// <summary>A number or date outside its allowed range.</summary>
    OutOfRange,

    /// <summary>A field or column the format does not have.</summary>
    UnknownField,

    /// <summary>A field the partner may not send, such as a BSN from a welfare organisation.</summary>
    NotAllowed,

    /// <summary>The record names a referral the gateway does not know.</summary>
    UnknownReferral,

    /// <summary>The record's patient facts do not match the referral's Patient.</summary>
    PatientMismatch,

    /// <summary>The record asks for what the referral's current state does not allow (an illegal Task move).</summary>
    Conflict,

    /// <summary>The record names a directory service (HealthcareService) the gateway does not know.</summary>
    UnknownService,
}
