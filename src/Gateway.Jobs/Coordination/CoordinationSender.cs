using Gateway.Fhir.Partners;
using Gateway.Fhir.Records;
using Gateway.Fhir.Serialization;
using Gateway.Fhir.Storage;
using Gateway.Fhir.Workflow;
using Gateway.Jobs.Delivery;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Jobs.Coordination;

/// <summary>
/// Delivers a <c>partner-fhir</c> outbox row (SPEC §7, docs/adr/0009): for a Task that became
/// requested, the Patient, the filler-order ServiceRequest and the Task at the owner's FHIR
/// server, each by conditional create on an identifier carrying the gateway Task id and each id
/// kept as soon as it is known, so a retry after any failure (or a second run) goes on from where
/// it stopped and never makes a second one; for a Task the GP cancelled, the partner's Task cancelled.
/// </summary>
public sealed class CoordinationSender(
    OutboxRows rows, ResourceStore store, OutboundReferrals referrals, PartnerDirectory partners, CoordinationLinks links,
    PartnerFhirClient client, GatewayFhirBase gatewayBase, TimeProvider clock, ILogger<CoordinationSender> logger)
{
    public async Task<DeliveryResult> SendAsync(OutboxRow row, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(row);
        var partnerId = row.Target.Split('/')[1];
        if (partners.Find(partnerId) is not { FhirEndpoint: not null } partner)
        {
            return DeliveryResult.Failure($"{partnerId} has no fhirEndpoint in the partners file.");
        }

        if (await rows.VersionBodyAsync(row, ct) is not { } stored)
        {
            return DeliveryResult.Success;
        }

        var task = (FhirTask)FhirSerialization.FromStoredJson(stored);
        task.Id ??= row.ResourceId;
        try
        {
            if (CoordinatedReferral.WantsCopy(task))
            {
                await CopyAsync(partner, task, ct);
            }
            else if (CoordinatedReferral.WantsCancel(task))
            {
                await CancelAsync(partner, task, ct);
            }

            return DeliveryResult.Success;
        }
        catch (PartnerFhirException failed)
        {
            return DeliveryResult.Failure(failed.Message);
        }
    }

    private async System.Threading.Tasks.Task CopyAsync(Partner partner, FhirTask task, CancellationToken ct)
    {
        var id = task.Id!;
        var link = await links.GetOrAddAsync(id, partner.Id, clock.GetUtcNow(), ct);
        if (link.TaskId is not null)
        {
            return;
        }

        var patientId = link.PatientId;
        if (patientId is null)
        {
            var referral = await referrals.MapAsync(task, partner.Id, ct);
            if (referral.Patient is null || FillerOrder.Patient(referral.Patient) is not { } patient)
            {
                // Consent withdrawn since this version: nothing personal goes; the release to requested enqueues again.
                logger.LogWarning("Task/{Task} is not copied to the FHIR server of {Partner}: no active Consent lets {Partner} see the patient, or the patient has no identifier to send.", id, partner.Id, partner.Id);
                return;
            }

            patientId = await client.CreateAsync(partner, patient.Patient, patient.IfNoneExist, ct);
            await links.SetIdAsync(id, "patient_id", patientId, ct);
        }

        var requestId = link.ServiceRequestId;
        if (requestId is null)
        {
            var gpRequest = (ServiceRequest)(await store.ReadAsync("ServiceRequest", task.Focus!.Reference!.Split('/')[1], ct)).Resource!;
            var fillerOrder = FillerOrder.ServiceRequest(gatewayBase.Url, task, gpRequest, partners.Find(ReferralTask.PartnerId(gpRequest.Requester?.Reference) ?? ""), partner, patientId);
            requestId = await client.CreateAsync(partner, fillerOrder, FillerOrder.ByGatewayTask(id), ct);
            await links.SetIdAsync(id, "service_request_id", requestId, ct);
        }

        var copy = FillerOrder.Task(gatewayBase.Url, task, partner, patientId, requestId);
        var taskId = await client.CreateAsync(partner, copy, FillerOrder.ByGatewayTask(id), ct);
        await links.SetIdAsync(id, "task_id", taskId, ct);
        await links.SeenAsync(id, PartnerTaskState.Digest(copy), null, clock.GetUtcNow(), ct);
        logger.LogInformation("Task/{Task} copied to the FHIR server of {Partner} as Task/{PartnerTask} (ServiceRequest/{PartnerRequest}).", id, partner.Id, taskId, requestId);
    }

    private async System.Threading.Tasks.Task CancelAsync(Partner partner, FhirTask task, CancellationToken ct)
    {
        var id = task.Id!;
        if (await links.FindAsync(id, ct) is not { TaskId: { } taskId })
        {
            return;
        }

        var theirs = await client.ReadAsync<FhirTask>(partner, $"Task/{taskId}", ct);
        if (theirs.Status is not { } status || !TaskStateMachine.Open.Contains(status))
        {
            return;
        }

        theirs.Status = FhirTask.TaskStatus.Cancelled;
        theirs.StatusReason = new CodeableConcept { Text = task.StatusReason?.Text ?? "The referral was cancelled at the gateway." };
        theirs.LastModified = ReferralTask.Instant(clock.GetUtcNow());
        await client.UpdateAsync(partner, theirs, ct);
        await links.SeenAsync(id, PartnerTaskState.Digest(theirs), null, clock.GetUtcNow(), ct);
        logger.LogInformation("Task/{PartnerTask} at the FHIR server of {Partner} cancelled with Task/{Task}.", taskId, partner.Id, id);
    }
}
