using Gateway.Fhir.Records;
using Gateway.Fhir.Serialization;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Jobs.Coordination;

/// <summary>What of a partner's Task the gateway takes over (status, businessStatus, statusReason, output), as a digest to tell a change by.</summary>
public static class PartnerTaskState
{
    public static string Digest(FhirTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var relevant = new FhirTask
        {
            Status = task.Status,
            BusinessStatus = task.BusinessStatus,
            StatusReason = task.StatusReason,
            Output = task.Output,
        };
        return RecordEnvelope.Hash(FhirSerialization.ToJson(relevant));
    }
}
