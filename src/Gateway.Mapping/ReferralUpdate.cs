using Hl7.Fhir.Model;

namespace Gateway.Mapping;

/// <summary>
/// The FHIR changes one partner update (a housing-case/v1 message or a wor-export/v1 row) implies.
/// </summary>
/// <param name="RecordKey">The idempotency key: housing-case's messageId, or a wor-export row's content hash.</param>
/// <param name="Referral">How the record names its referral and confirms the patient.</param>
/// <param name="Task">The change to the referral's Task.</param>
/// <param name="Measures">Outcome measures, each a new QuestionnaireResponse.</param>
public sealed record ReferralUpdate(
    string RecordKey,
    ReferralLink Referral,
    TaskChange Task,
    IReadOnlyList<MeasureResponse> Measures);

/// <summary>
/// A new QuestionnaireResponse and its placeholder full URL (<see cref="Placeholders.NewResource"/>),
/// which the Task's additional-content output references. <c>basedOn</c> and <c>subject</c> are left
/// empty: the caller sets them to the referral's ServiceRequest and Patient once it has found them.
/// </summary>
public sealed record MeasureResponse(string FullUrl, QuestionnaireResponse Response);
