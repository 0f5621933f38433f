using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace Gateway.Mapping.ReferralOut;

/// <summary>What the gateway knows of a routed referral, as the receiving partner may have it.</summary>
/// <param name="Request">The ServiceRequest; without consent only its identifier (the referral number) is sent.</param>
/// <param name="Patient">The Patient; null when the partner may not see them (no consent).</param>
/// <param name="Consent">The active Consent naming the partner; null without one.</param>
/// <param name="ClientNumber">The gateway's pseudonymous client number, sent instead of any BSN to a welfare organisation.</param>
public sealed record OutboundReferral(
    Hl7.Fhir.Model.Task Task,
    ServiceRequest? Request,
    Patient? Patient,
    Consent? Consent,
    ReferralParty From,
    ReferralParty To,
    bool IsWelfareOrganisation,
    string? ClientNumber);

/// <summary>
/// A routed referral as referral/v1 (SPEC §6): minimised for the partner. No BSN ever goes to a
/// welfare organisation; without consent, only the referral's numbers, status and due date.
/// </summary>
public static class ReferralV1Mapper
{
    private const string NhsNumberSystem = Canonicals.NhsNumber;
    private const string BsnSystem = "http://fhir.nl/fhir/NamingSystem/bsn";

    public static ReferralV1 Map(OutboundReferral referral)
    {
        ArgumentNullException.ThrowIfNull(referral);
        var task = referral.Task;
        var consented = referral.Consent is not null && referral.Patient is not null;
        var request = consented ? referral.Request : null;
        var coding = request?.Code?.Coding.FirstOrDefault();
        return new ReferralV1(
            ReferralNumber: referral.Request?.Identifier.FirstOrDefault()?.Value ?? task.Identifier.FirstOrDefault()?.Value ?? task.Id ?? "",
            GatewayTaskId: task.Id ?? "",
            GatewayReferralNumber: task.Identifier.FirstOrDefault()?.Value,
            SentAt: task.Meta?.LastUpdated ?? DateTimeOffset.MinValue,
            Status: task.Status?.GetLiteral() ?? "requested",
            BusinessStatus: task.BusinessStatus?.Coding.FirstOrDefault()?.Code,
            From: referral.From,
            To: referral.To,
            Service: request is null ? null : new ReferralService(coding?.Code, coding?.System, coding?.Display ?? request.Code?.Text),
            Reason: request is null ? null : string.Join("; ", request.ReasonCode.Select(r => r.Text ?? r.Coding.FirstOrDefault()?.Display ?? r.Coding.FirstOrDefault()?.Code).OfType<string>()),
            Notes: request is null || request.Note.Count == 0 ? null : string.Join("\n", request.Note.Select(n => n.Text)),
            Patient: consented ? PatientOf(referral.Patient!, referral.IsWelfareOrganisation, referral.ClientNumber) : null,
            Consent: consented ? new ReferralConsent("active", referral.To.Partner, referral.Consent!.Provision?.Period?.End) : null,
            RespondBy: task.Restriction?.Period?.End is { Length: >= 10 } due ? due[..10] : null,
            Links: new ReferralLinks($"/fhir/Task/{task.Id}", "/records"),
            DirectoryService: request?.Performer.Where(p => p.Reference?.StartsWith("HealthcareService/", StringComparison.Ordinal) == true)
                .Select(p => new DirectoryReference(p.Reference!, p.Display)).FirstOrDefault(),
            ResultingActivities: ResultingActivities(task));
    }

    // The directory services the Task's resulting-activity outputs name (SPEC §11); null when none do, so the member is left out.
    private static List<DirectoryReference>? ResultingActivities(Hl7.Fhir.Model.Task task)
    {
        var activities = task.Output
            .Where(o => o.Type?.Coding.Any(c => c.Code == "resulting-activity") == true)
            .Select(o => o.Value as ResourceReference)
            .Where(r => r?.Reference?.StartsWith("HealthcareService/", StringComparison.Ordinal) == true)
            .Select(r => new DirectoryReference(r!.Reference!, r.Display))
            .ToList();
        return activities.Count == 0 ? null : activities;
    }

    private static ReferralPatient PatientOf(Patient patient, bool welfare, string? clientNumber)
    {
        var name = patient.Name.FirstOrDefault();
        var address = patient.Address.FirstOrDefault();
        return new ReferralPatient(
            NhsNumber: welfare ? null : patient.Identifier.FirstOrDefault(i => i.System == NhsNumberSystem)?.Value,
            ClientNumber: welfare || patient.Identifier.Any(i => i.System == BsnSystem) ? clientNumber : null,
            GivenName: name?.Given.FirstOrDefault(),
            FamilyName: name?.Family,
            DateOfBirth: patient.BirthDate,
            Phone: patient.Telecom.FirstOrDefault(t => t.System == ContactPoint.ContactPointSystem.Phone)?.Value,
            Address: address is null ? null : new ReferralAddress(address.Line.OfType<string>().ToList(), address.City, address.PostalCode));
    }
}
