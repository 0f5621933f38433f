using System.Globalization;
using Gateway.Fhir.Subscriptions;
using Hl7.Fhir.Model;
using Npgsql;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Timeline;

/// <summary>
/// A referral's story for operators (issue 10): every version of its Task with who wrote it, the
/// partner records received for it (applied or not, with their issues), the notifications and
/// webhooks its changes caused and how their delivery went, and the Provenance of what the gateway
/// did; oldest first. Read as the gateway: operators see across partners.
/// </summary>
public sealed class ReferralTimeline(NpgsqlDataSource db)
{
    /// <param name="id">A Task id, the Task's referral number, a ServiceRequest id or the GP's referral identifier value.</param>
    /// <returns>null when nothing matches.</returns>
    public async Task<ReferralTimelineView?> ReadAsync(string id, CancellationToken ct)
    {
        if (await TimelineRows.ResolveTaskAsync(db, id, ct) is not { } taskId)
        {
            return null;
        }

        var versions = await TimelineRows.TaskVersionsAsync(db, taskId, ct);
        var current = versions.LastOrDefault(v => v.Task is not null)?.Task;
        var requestId = RequestId(current);
        (string Type, string Id)[] targets = requestId is null ? [("Task", taskId)] : [("Task", taskId), ("ServiceRequest", requestId)];
        var provenances = await TimelineRows.ReferringAsync<Provenance>(db, "Provenance", "target", targets, ct);
        var audits = (await TimelineRows.ReferringAsync<AuditEvent>(db, "AuditEvent", "entity", [("Task", taskId)], ct))
            .Where(a => a.Action is AuditEvent.AuditEventAction.C or AuditEvent.AuditEventAction.U && a.Outcome == AuditEvent.AuditEventOutcome.N0)
            .OrderBy(a => a.Recorded).ToList();
        var request = requestId is null ? null : await RequestAsync(requestId, ct);
        var names = new List<string> { taskId };
        names.AddRange(current?.Identifier.Select(i => i.Value).OfType<string>() ?? []);
        names.AddRange(request?.Identifier.Select(i => i.Value).OfType<string>() ?? []);

        var events = new List<TimelineEvent>();
        events.AddRange(TaskVersionEvents(taskId, versions, provenances, audits));
        events.AddRange((await TimelineRows.RecordsAsync(db, taskId, names, ct)).Select(RecordEvent));
        events.AddRange((await TimelineRows.DeliveriesAsync(db, taskId, requestId, ct)).Select(DeliveryEvent));
        events.AddRange(provenances.Select(ProvenanceEvent));
        return new ReferralTimelineView($"Task/{taskId}", requestId is null ? null : $"ServiceRequest/{requestId}",
            events.OrderBy(e => e.At).ThenBy(e => Rank(e.Kind)).ToList());
    }

    private async Task<ServiceRequest?> RequestAsync(string requestId, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            select v.body::text from resource r join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            where r.resource_type = 'ServiceRequest' and r.resource_id = $1 and not r.is_deleted
            """);
        command.Parameters.Add(new() { Value = requestId });
        return await command.ExecuteScalarAsync(ct) is string body ? Serialization.FhirSerialization.FromStoredJson(body) as ServiceRequest : null;
    }

    private static string? RequestId(FhirTask? task)
    {
        var reference = task?.Focus?.Reference ?? task?.BasedOn.FirstOrDefault()?.Reference;
        return reference is not null && reference.StartsWith("ServiceRequest/", StringComparison.Ordinal) ? reference["ServiceRequest/".Length..] : null;
    }

    // Same instant: the record came in, then the Task changed, then the gateway's Provenance, then what it told others.
    private static int Rank(string kind) => kind switch
    {
        TimelineKinds.Record => 0,
        TimelineKinds.TaskVersion => 1,
        TimelineKinds.Provenance => 2,
        _ => 3,
    };

    private static IEnumerable<TimelineEvent> TaskVersionEvents(string taskId, List<TaskVersionRow> versions, List<Provenance> provenances, List<AuditEvent> audits)
    {
        var unclaimed = new List<AuditEvent>(audits);
        foreach (var row in versions)
        {
            var reference = $"Task/{taskId}/_history/{row.Version.ToString(CultureInfo.InvariantCulture)}";
            var writtenBy = provenances.FirstOrDefault(p => p.Target.Any(t => t.Reference == reference));
            string actor;
            if (writtenBy is not null)
            {
                actor = TimelineActors.Of(writtenBy);
            }
            else if (unclaimed.FirstOrDefault(a => a.Recorded >= row.LastUpdated) is { } audit)
            {
                // A partner's own write through the FHIR API has no Provenance (only the gateway's do): its AuditEvent says who.
                unclaimed.Remove(audit);
                actor = TimelineActors.Of(audit);
            }
            else
            {
                actor = "unknown";
            }

            var task = row.Task;
            var status = task?.Status is { } taskStatus ? Hl7.Fhir.Utility.EnumUtility.GetLiteral(taskStatus) ?? taskStatus.ToString() : "deleted";
            var business = task?.BusinessStatus?.Coding.FirstOrDefault()?.Code ?? task?.BusinessStatus?.Text;
            yield return new TimelineEvent(row.LastUpdated, TimelineKinds.TaskVersion,
                $"Task version {row.Version}: {status}{(business is null ? "" : $" ({business})")}", actor,
                new Dictionary<string, object?>
                {
                    ["reference"] = reference,
                    ["version"] = row.Version,
                    ["method"] = row.Method,
                    ["status"] = status,
                    ["businessStatus"] = business,
                    ["statusReason"] = task?.StatusReason?.Text,
                    ["owner"] = task?.Owner?.Reference,
                });
        }
    }

    private static TimelineEvent RecordEvent(RecordRow record) => new(
        record.ReceivedAt, TimelineKinds.Record,
        $"{record.Format} record from {record.PartnerId} ({record.Source}): {record.State}"
            + (record.Issues.Count == 0 ? "" : $", {record.Issues.Count} issue{(record.Issues.Count == 1 ? "" : "s")}: " + string.Join("; ", record.Issues.Select(i => $"{i.Location} {i.Code}"))),
        record.PartnerId,
        new Dictionary<string, object?>
        {
            ["recordId"] = record.RecordId,
            ["partner"] = record.PartnerId,
            ["format"] = record.Format,
            ["recordKey"] = record.RecordKey,
            ["source"] = record.Source,
            ["state"] = record.State,
            ["issues"] = record.Issues.Select(i => new Dictionary<string, string> { ["code"] = i.Code, ["location"] = i.Location, ["message"] = i.Message }).ToList(),
            ["produced"] = record.Produced,
            ["processedAt"] = record.ProcessedAt,
            ["attempts"] = record.Attempts,
        });

    private static TimelineEvent DeliveryEvent(DeliveryRow delivery)
    {
        var outcome = delivery.State switch
        {
            "delivered" when delivery.LastError is not null => $"skipped: {delivery.LastError}",
            "delivered" => $"delivered after {Attempts(delivery.Attempts)}",
            "failed" => $"failed after {Attempts(delivery.Attempts)}: {delivery.LastError}",
            // The delivery job holds a Subscription's notifications until it is active: while it is requested or in
            // error they are not being retried, whatever the row's last error says (issue 21, item 9).
            _ when delivery.Kind != NotificationOutbox.Handshake && delivery.SubscriptionStatus is { } status and not "active"
                => $"held: {delivery.Target} is {status}; sent once it is active again" + (delivery.LastError is null ? "" : $" (last error: {delivery.LastError})"),
            _ when delivery.LastError is not null => $"retrying after {Attempts(delivery.Attempts)}: {delivery.LastError}",
            _ => "waiting to be sent",
        };
        return new TimelineEvent(delivery.DeliveredAt ?? delivery.CreatedAt, TimelineKinds.Delivery,
            $"{delivery.Kind} of {delivery.Resource} to {delivery.Target}: {outcome}", TimelineActors.Gateway,
            new Dictionary<string, object?>
            {
                ["id"] = delivery.Id,
                ["kind"] = delivery.Kind,
                ["target"] = delivery.Target,
                ["resource"] = delivery.Resource,
                ["state"] = delivery.State,
                ["subscriptionStatus"] = delivery.SubscriptionStatus,
                ["attempts"] = delivery.Attempts,
                ["lastError"] = delivery.LastError,
                ["createdAt"] = delivery.CreatedAt,
                ["nextAttemptAt"] = delivery.State == "pending" ? delivery.NextAttemptAt : null,
                ["deliveredAt"] = delivery.DeliveredAt,
            });
    }

    private static string Attempts(int attempts) => attempts == 1 ? "1 attempt" : $"{attempts.ToString(CultureInfo.InvariantCulture)} attempts";

    private static TimelineEvent ProvenanceEvent(Provenance provenance) => new(
        provenance.Recorded ?? DateTimeOffset.MinValue, TimelineKinds.Provenance,
        provenance.Activity?.Text ?? provenance.Activity?.Coding.FirstOrDefault()?.Code ?? "Provenance", TimelineActors.Of(provenance),
        new Dictionary<string, object?>
        {
            ["reference"] = $"Provenance/{provenance.Id}",
            ["targets"] = provenance.Target.Select(t => t.Reference).ToList(),
            ["sources"] = provenance.Entity.Select(e => e.What?.Reference ?? e.What?.Display ?? e.What?.Identifier?.Value).ToList(),
            ["activity"] = provenance.Activity?.Coding.FirstOrDefault()?.Code,
        });
}
