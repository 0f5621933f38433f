using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Gateway.Api.OpenApi;

// What the non-FHIR endpoints take and answer, as types the OpenAPI document describes. The
// handlers write these shapes themselves (RecordJson, RecordReportJson, TokenEndpoint); these
// records exist for the document only.

[Description("One partner record. `format` names the format and the rest is that format's fields (../shared/samples/housing-case/README.md, housing-referral); `messageId` is the idempotency key.")]
public sealed record PartnerRecord(
    [property: Description("housing-case/v1 or housing-referral/v1")] string Format,
    [property: Description("The sender's unique id of this message; the same id again is a replay and changes nothing.")] string MessageId,
    [property: Description("The partner id of the sender; must be the calling client's partner.")] string? Provider);

[Description("A problem with one field of a record.")]
public sealed record RecordIssueShape(
    [property: Description("required, invalid-value, invalid-format, not-found, not-allowed, conflict, …")] string Code,
    [property: Description("Where: a JSONPath into the record ($.tenant.nhsNumber) or a CSV row and column.")] string Location,
    string Message);

[Description("What became of one record.")]
public sealed record RecordReportShape(
    string RecordId,
    string Format,
    [property: Description("The idempotency key: messageId, or a CSV row's content hash with its referral id.")] string RecordKey,
    [property: Description("The CSV row number (1 = the first row after the header); null for JSON.")] int? Row,
    [property: Description("accepted, unchanged (already applied: a replay) or rejected")] string Outcome,
    [property: Description("The FHIR versions it wrote, e.g. Task/123/_history/3.")] IReadOnlyList<string> Produced,
    IReadOnlyList<RecordIssueShape> Issues,
    string? Note,
    RecordReportLinks Links);

public sealed record RecordReportLinks([property: Description("GET it for the kept record.")] string Record);

[Description("A batch's reports, streamed as the records are processed, then the counts per outcome.")]
public sealed record BatchReportShape(string Format, IReadOnlyList<RecordReportShape> Records,
    [property: Description("{\"accepted\": n, \"unchanged\": n, \"rejected\": n}")] IReadOnlyDictionary<string, int> Summary);

[Description("A received record as kept: raw body, state, reasons, what it produced.")]
public sealed record ReceivedRecordShape(
    string RecordId, string Partner, string Format, string RecordKey, DateTimeOffset ReceivedAt,
    [property: Description("api, batch, pull, drop-folder")] string Source,
    int? Row,
    [property: Description("received, applied or rejected")] string State,
    IReadOnlyList<RecordIssueShape> Issues, IReadOnlyList<string> Produced, DateTimeOffset? ProcessedAt, int Attempts,
    [property: Description("The record exactly as it arrived.")] string Body,
    ReceivedRecordLinks Links);

public sealed record ReceivedRecordLinks(string Replay);

[Description("A page of referral/v1 documents (../shared/samples/referral-out/README.md), oldest first.")]
public sealed record ReferralFeedShape(
    [property: Description("referral/v1 documents; without the patient's consent only numbers, status and due date.")] IReadOnlyList<Dictionary<string, object>> Referrals,
    [property: Description("The URL of the next page, absent on the last.")] string? Next);

[Description("A FHIR OperationOutcome: every problem with its severity, code, text and FHIRPath or JSONPath location.")]
public sealed record OperationOutcomeShape(
    [property: Description("Always OperationOutcome.")] string ResourceType,
    IReadOnlyList<OperationOutcomeIssue> Issue);

public sealed record OperationOutcomeIssue(string Severity, string Code, string? Diagnostics, IReadOnlyList<string>? Expression, IReadOnlyList<string>? Location);

[Description("The token request of SMART backend services (client_credentials with a private_key_jwt client assertion, RFC 7523).")]
public sealed record TokenRequestShape(
    [property: JsonPropertyName("grant_type"), Description("client_credentials")] string GrantType,
    [property: JsonPropertyName("client_assertion_type"), Description("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")] string ClientAssertionType,
    [property: JsonPropertyName("client_assertion"), Description("A JWT signed (RS384 or ES384) with the client's registered key: iss and sub the client id, aud this token endpoint's URL, exp at most five minutes ahead, a fresh jti.")] string ClientAssertion,
    [property: JsonPropertyName("scope"), Description("SMART v2 system scopes and gateway/records.write, space-separated, e.g. system/Task.rus gateway/records.write.")] string Scope);

[Description("An access token for the FHIR and record APIs.")]
public sealed record TokenResponseShape(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type"), Description("bearer")] string TokenType,
    [property: JsonPropertyName("expires_in"), Description("Seconds, 300 by default.")] int ExpiresIn,
    [property: JsonPropertyName("scope"), Description("The scopes granted: those requested, narrowed to what the partners file allows the client.")] string Scope);

[Description("An OAuth 2.0 error (RFC 6749 §5.2): 400, or 401 for invalid_client.")]
public sealed record OAuthErrorShape(
    [property: JsonPropertyName("error"), Description("invalid_request, invalid_client, unsupported_grant_type, invalid_scope")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription);
