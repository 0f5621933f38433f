using Hl7.Fhir.Model;

namespace Gateway.Fhir.Workflow;

/// <summary>Which ServiceRequests the referral workflow takes up: active orders of an organisation for a patient (SPEC §5).</summary>
public static class SocialPrescription
{
    public static bool IsOne(ServiceRequest request) =>
        request is { Status: RequestStatus.Active, Intent: RequestIntent.Order }
        && request.Subject?.Reference?.StartsWith("Patient/", StringComparison.Ordinal) == true
        && ReferralTask.PartnerId(request.Requester?.Reference) is not null;

    /// <summary>The requested service, as <c>system|code</c> of its first coding; null when none is coded.</summary>
    public static string? Service(ServiceRequest request) =>
        request.Code?.Coding.FirstOrDefault(c => c.Code is not null) is { } coding ? $"{coding.System}|{coding.Code}" : null;

    public static bool PerformersDiffer(ServiceRequest before, ServiceRequest after) =>
        !before.Performer.Select(p => p.Reference).SequenceEqual(after.Performer.Select(p => p.Reference), StringComparer.Ordinal);
}
