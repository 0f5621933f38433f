using System.Text.RegularExpressions;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Search;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Workflow;

/// <summary>
/// A partner may only refer a patient it may see (SPEC §8). One it may not see is refused exactly
/// as one that does not exist, so the answer tells nothing about it. Checked before the write, so
/// the duplicate-referral check after it never speaks of a hidden patient's referrals; a Patient
/// that does not exist yet (a later entry of the transaction may create it) is left to
/// <see cref="Access.ReferenceRules"/> once every entry is written.
/// </summary>
internal static partial class PatientReferences
{
    /// <summary>Before the write: a Patient that exists but <see cref="ResourceWriter.Caller"/> may not see is refused.</summary>
    public static async System.Threading.Tasks.Task CheckNotHiddenAsync(ResourceWriter writer, string reference, string expression, CancellationToken ct)
    {
        if (IdOf(reference) is { } id && !await VisibleAsync(writer, id, ct) && await VisibleAsync(writer.AsGateway(), id, ct))
        {
            throw NotKnown(expression, id);
        }
    }

    private static async Task<bool> VisibleAsync(ResourceWriter writer, string id, CancellationToken ct) =>
        (await writer.FindIdsAsync(SearchQuery.Parse("Patient", "_id=" + id), 1, ct)).Count > 0;

    // Only a relative reference is a Patient of this server; a contained one or a Group the profiles judge.
    private static string? IdOf(string reference) =>
        PatientReference().Match(reference) is { Success: true } match ? match.Groups[1].Value : null;

    private static FhirException NotKnown(string expression, string id) =>
        new(422, OperationOutcome.IssueType.NotFound, $"{expression} refers to Patient/{id}, which is not known to this server.", expression);

    [GeneratedRegex(@"^Patient/([A-Za-z0-9\-\.]{1,64})(?:/_history/[^/]+)?$")]
    private static partial Regex PatientReference();
}
