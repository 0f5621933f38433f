using Gateway.Fhir.Partners;
using Gateway.Fhir.Search;
using Gateway.Fhir.Storage;
using Gateway.Fhir.Workflow;
using Gateway.Mapping;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Records;

/// <summary>
/// The referral a record belongs to: its Task owned by the sending partner (the caller's to change),
/// the ServiceRequest's id, and the Patient's id.
/// </summary>
public sealed record LinkedReferral(FhirTask Task, string RequestId, string PatientId);

/// <summary>
/// Finds the referral a partner record names (SPEC §6): by the gateway's Task id, by the GP's
/// ServiceRequest identifier, or (wor-export) by the verwijzing id and the referring practice's AGB
/// code; only among the Tasks the partner owns. Then confirms the patient: NHS number and birth date
/// (housing), surname and birth date (welfare). A record that matches nothing is rejected, never guessed.
/// </summary>
public static class ReferralLinker
{
    public static async Task<(LinkedReferral? Referral, IReadOnlyList<RecordIssue> Issues)> LinkAsync(
        ResourceWriter writer, ReferralLink link, string partnerId, PartnerDirectory partners, RecordFields fields, CancellationToken ct, ChunkReferrals? known = null)
    {
        var gateway = writer.AsGateway();
        var task = known?.TaskIds(link, partners) is { } taskIds
            ? Pick(await ReadTasksAsync(gateway, taskIds, partnerId, ct))
            : await FindTaskAsync(writer, link, partnerId, partners, ct);
        if (task is null
            // The ServiceRequest is only asked whether it exists: a held one is not parsed for that.
            || await gateway.ReadCurrentToLookAtAsync("ServiceRequest", Id(task.Focus?.Reference), ct) is not { IsDeleted: false } request
            // The Patient is only confirmed: read for its identifiers, surnames and birth date, not parsed.
            || await gateway.ReadCurrentToLookAtAsync("Patient", Id(task.For?.Reference), ct) is not { } stored
            || LinkedPatient.Of(stored) is not { } patient)
        {
            return (null, [new RecordIssue(RecordIssueCode.UnknownReferral, fields.Referral,
                $"No referral addressed to {partnerId} matches {Describe(link)}. Check the reference against the referral as the gateway sent it (referral/v1: gatewayTaskId, referralNumber).")]);
        }

        var issues = new List<RecordIssue>();
        var facts = link.Patient;
        if (facts.NhsNumber is { } nhs && !patient.HasIdentifier(PatientMatching.NhsNumberSystem, nhs))
        {
            issues.Add(new RecordIssue(RecordIssueCode.PatientMismatch, fields.NhsNumber, $"The NHS number {nhs} is not the referral's patient's."));
        }

        if (facts.FamilyName is { } family && !patient.HasFamily(family))
        {
            issues.Add(new RecordIssue(RecordIssueCode.PatientMismatch, fields.FamilyName, $"The surname '{family}' is not the referral's patient's."));
        }

        var birthDate = facts.BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        if (patient.BirthDate != birthDate)
        {
            issues.Add(new RecordIssue(RecordIssueCode.PatientMismatch, fields.BirthDate, $"The date of birth {birthDate} is not the referral's patient's."));
        }

        return issues.Count == 0 ? (new LinkedReferral(task, request.Id, patient.Id), issues) : (null, issues);
    }

    // A record applied alone: its referral's Tasks are locked as they are read (a chunk holds its
    // Tasks before linking, ChunkWrites), so a record about the same referral that commits meanwhile
    // is built on rather than overwritten (its notes kept, its moves not replayed into a 409), and
    // the lock comes before the referral's measurement lock, in a chunk's order (no deadlock).
    private static async Task<FhirTask?> FindTaskAsync(ResourceWriter writer, ReferralLink link, string partnerId, PartnerDirectory partners, CancellationToken ct)
    {
        var gateway = writer.AsGateway();
        if (link.GatewayTaskId is { } taskId)
        {
            return Pick(await HeldTasksAsync(writer, [taskId], partnerId, ct));
        }

        var requests = new List<string>();
        if (link.ServiceRequestIdentifier is { Value: { } value } identifier)
        {
            requests.AddRange(await FindRequestsAsync(gateway, $"identifier={Token(identifier.System, value)}", ct));
        }
        else if (link.VerwijzingId is { } verwijzing && link.ReferringPracticeAgb is { } agb)
        {
            foreach (var practice in partners.Partners.Where(p => p.Identifiers?.Any(i => i.System == Canonicals.AgbCode && i.Value == agb) == true))
            {
                requests.AddRange(await FindRequestsAsync(gateway, $"identifier={Token(null, verwijzing)}&requester=Organization/{practice.Id}", ct));
            }
        }

        // The referrals' Tasks, then the partner's among them: a referral has a Task or two, where a partner owns thousands.
        var taskIds = new List<string>();
        foreach (var request in requests)
        {
            taskIds.AddRange(await ReferralLookups.TasksFocusingAsync(gateway, request, ct));
        }

        return Pick(await HeldTasksAsync(writer, taskIds, partnerId, ct));
    }

    private static async Task<List<FhirTask>> HeldTasksAsync(ResourceWriter writer, List<string> ids, string partnerId, CancellationToken ct)
    {
        await writer.HoldForUpdateAsync("Task", ids, ct);
        return await ReadTasksAsync(writer.AsGateway(), ids, partnerId, ct);
    }

    // The open one if there is one, else the latest (a closed referral can still receive its final measures).
    private static FhirTask? Pick(List<FhirTask> tasks) =>
        tasks.OrderByDescending(t => t.Status is { } s && TaskStateMachine.Open.Contains(s)).ThenByDescending(t => t.Meta?.LastUpdated).FirstOrDefault();

    // The Tasks a lookup found, read now (an earlier record of a chunk may have moved them): those the partner owns.
    private static async Task<List<FhirTask>> ReadTasksAsync(ResourceWriter gateway, IReadOnlyList<string> ids, string partnerId, CancellationToken ct)
    {
        var tasks = new List<FhirTask>();
        foreach (var id in ids)
        {
            if ((await gateway.ReadCurrentAsync("Task", id, ct))?.Resource is FhirTask task && ReferralTask.OwnerId(task) == partnerId)
            {
                tasks.Add(task);
            }
        }

        return tasks;
    }

    private static Task<IReadOnlyList<string>> FindRequestsAsync(ResourceWriter gateway, string query, CancellationToken ct) =>
        gateway.FindIdsAsync(SearchQuery.Parse("ServiceRequest", query), 20, ct);

    // Search token syntax: escape what the token grammar gives meaning to (FHIR R4 search.html#escaping).
    private static string Token(string? system, string value)
    {
        static string Escape(string s) => Uri.EscapeDataString(s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal).Replace("$", "\\$", StringComparison.Ordinal));
        return system is null ? Escape(value) : Escape(system) + "|" + Escape(value);
    }

    private static string Id(string? reference) => reference is null ? "" : reference[(reference.IndexOf('/', StringComparison.Ordinal) + 1)..];

    private static string Describe(ReferralLink link) =>
        link.GatewayTaskId is { } id ? $"gatewayTaskId {id}"
        : link.ServiceRequestIdentifier is { } identifier ? $"the referral identifier {identifier.System}|{identifier.Value}"
        : $"verwijzing_id {link.VerwijzingId} from the practice with AGB code {link.ReferringPracticeAgb}";
}
