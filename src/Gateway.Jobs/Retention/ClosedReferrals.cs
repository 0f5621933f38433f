using System.Globalization;
using Gateway.Fhir.Audit;
using Gateway.Fhir.Search;
using Gateway.Fhir.Serialization;
using Gateway.Fhir.Storage;
using Gateway.Jobs.Sla;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Jobs.Retention;

/// <summary>
/// Anonymises the personal data of closed referrals whose last activity is older than the
/// retention period (SPEC §5): the Patient, the ServiceRequest's notes and reason text, the outcome
/// measures' free text, the Task's notes, in the current version and in every earlier one, and
/// the partner records of the Task. Only when none of the patient's other referrals is open or
/// recently active; a referral done is labelled ANONY and not matched again.
/// </summary>
internal static class ClosedReferrals
{
    public const string Component = "retention";

    private const string Closed = "completed,cancelled,failed,rejected,entered-in-error";

    public static string Query(DateTimeOffset before) =>
        $"status={Closed}&_lastUpdated=lt{SlaClock.SearchValue(before)}";

    /// <summary>The Patients whose referrals were anonymised in this run.</summary>
    public static async Task<List<string>> RunAsync(ResourceStore store, DateTimeOffset before, string period, CancellationToken ct)
    {
        var patients = new List<string>();
        await TaskPages.ForEachAsync(store, Query(before), async (gateway, task) =>
        {
            if (Anonymiser.IsLabelled(task) || task.For?.Reference is not { } patient || !patient.StartsWith("Patient/", StringComparison.Ordinal)
                || !await AllReferralsQuietAsync(gateway, patient, before, ct))
            {
                return false;
            }

            await AnonymiseAsync(gateway, task, patient, before, period, ct);
            patients.Add(patient);
            return true;
        }, ct);
        return patients.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Whether every referral Task of the patient is closed and was last active before <paramref name="before"/> (its ServiceRequest too).</summary>
    private static async Task<bool> AllReferralsQuietAsync(ResourceWriter gateway, string patient, DateTimeOffset before, CancellationToken ct)
    {
        foreach (var id in await gateway.FindIdsAsync(SearchQuery.Parse("Task", $"subject={patient}"), 1000, ct))
        {
            var stored = await gateway.ReadCurrentAsync("Task", id, ct);
            if (stored?.Resource is not FhirTask other)
            {
                continue;
            }

            var closed = other.Status is FhirTask.TaskStatus.Completed or FhirTask.TaskStatus.Cancelled or FhirTask.TaskStatus.Failed
                or FhirTask.TaskStatus.Rejected or FhirTask.TaskStatus.EnteredInError;
            // A Task labelled by an earlier run was last touched by retention itself: its activity ended before then.
            if (!closed || (stored.LastUpdated >= before && !Anonymiser.IsLabelled(other)))
            {
                return false;
            }

            if (Reference(other.Focus, "ServiceRequest") is { } request
                && await gateway.ReadCurrentAsync("ServiceRequest", request, ct) is { } focus
                && focus.LastUpdated >= before && !Anonymiser.IsLabelled(focus.Resource!))
            {
                return false;
            }
        }

        return true;
    }

    private static async Task AnonymiseAsync(ResourceWriter gateway, FhirTask task, string patient, DateTimeOffset before, string period, CancellationToken ct)
    {
        var source = $"Task/{task.Id}/_history/{task.Meta?.VersionId}";
        var written = new List<string>();
        await AnonymiseResourceAsync(gateway, "Patient", patient["Patient/".Length..], written, ct);
        if (Reference(task.Focus, "ServiceRequest") is { } request)
        {
            await AnonymiseResourceAsync(gateway, "ServiceRequest", request, written, ct);
            foreach (var id in await gateway.FindIdsAsync(SearchQuery.Parse("QuestionnaireResponse", $"based-on=ServiceRequest/{request}"), 1000, ct))
            {
                await AnonymiseResourceAsync(gateway, "QuestionnaireResponse", id, written, ct);
            }
        }

        await AnonymiseResourceAsync(gateway, "Task", task.Id!, written, ct);
        var records = await ClearPartnerRecordsAsync(gateway, task.Id!, ct);
        var what = $"Anonymised under the retention policy: Task/{task.Id} was {task.Status?.ToString().ToLowerInvariant()} and last active before {SlaClock.SearchValue(before)} ({period} ago); "
            + $"{written.Count} resources and their history lost their personal data, {records.ToString(CultureInfo.InvariantCulture)} partner records their bodies.";
        await gateway.CreateAsync(ProvenanceBuilder.Build(written, created: false, what, null, [source], gateway.Now, Component), ct);
    }

    /// <summary>The current version (a new version, when anything changes) and every earlier one.</summary>
    private static async Task AnonymiseResourceAsync(ResourceWriter gateway, string type, string id, List<string> written, CancellationToken ct)
    {
        if ((await gateway.ReadCurrentAsync(type, id, ct))?.Resource is not { } current)
        {
            return;
        }

        var before = FhirSerialization.ToJson(current);
        Anonymiser.Anonymise(current);
        if (FhirSerialization.ToJson(current) != before)
        {
            var (stored, _) = await gateway.UpdateAsync(current, null, ct);
            written.Add($"{type}/{id}/_history/{stored.Version.ToString(CultureInfo.InvariantCulture)}");
        }

        await StoredHistory.RewriteAsync(gateway, type, id, Anonymiser.Anonymise, ct);
    }

    /// <summary>The raw records partners sent about the Task keep their keys and states, not their content.</summary>
    private static async Task<int> ClearPartnerRecordsAsync(ResourceWriter gateway, string taskId, CancellationToken ct)
    {
        await using var command = gateway.Command();
        command.CommandText = "update partner_record set body = '' where task_id = $1 and body <> ''";
        command.Parameters.Add(new() { Value = taskId });
        return await command.ExecuteNonQueryAsync(ct);
    }

    private static string? Reference(ResourceReference? reference, string type) =>
        reference?.Reference is { } value && value.StartsWith(type + "/", StringComparison.Ordinal) ? value[(type.Length + 1)..] : null;
}
