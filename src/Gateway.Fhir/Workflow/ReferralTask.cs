using System.Xml;
using Gateway.Fhir.Conformance;
using Gateway.Fhir.Partners;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Workflow;

/// <summary>The referral Task the gateway creates for a ServiceRequest (SPEC §5), as the guide's referral-task profile describes it.</summary>
public static class ReferralTask
{
    public const string Profile = GatewayGuide.CanonicalBase + "/StructureDefinition/referral-task";
    public const string BusinessStatusSystem = GatewayGuide.CanonicalBase + "/CodeSystem/referral-business-status";
    public const string ReferralNumberSystem = GatewayGuide.CanonicalBase + "/referral-number";
    public const string AwaitingRouting = "awaiting-routing";
    public const string AwaitingConsent = "awaiting-consent";

    /// <summary>How long a performer without an SLA of its own, or nobody while unrouted, has to accept.</summary>
    public static readonly TimeSpan DefaultAcceptWithin = TimeSpan.FromDays(5);

    /// <summary>A new Task for <paramref name="request"/>: requested of the performer, held for consent, or unrouted.</summary>
    public static FhirTask New(ServiceRequest request, Partner? performer, bool consented, string reason, DateTimeOffset now)
    {
        var task = new FhirTask
        {
            Meta = new Meta { Profile = [Profile] },
            Identifier = [new Identifier(ReferralNumberSystem, "R-" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant())],
            BasedOn = [new ResourceReference($"ServiceRequest/{request.Id}")],
            Status = FhirTask.TaskStatus.Requested,
            Intent = FhirTask.TaskIntent.Order,
            Code = new CodeableConcept("http://hl7.org/fhir/CodeSystem/task-code", "fulfill", "Fulfill the focal request"),
            Focus = new ResourceReference($"ServiceRequest/{request.Id}"),
            For = new ResourceReference(request.Subject!.Reference),
            AuthoredOn = Instant(now),
            LastModified = Instant(now),
            Requester = new ResourceReference(request.Requester!.Reference),
        };
        Assign(task, performer, consented, reason, now);
        return task;
    }

    /// <summary>Gives the Task to <paramref name="performer"/> (or leaves it unrouted when null) with the status consent allows.</summary>
    public static void Assign(FhirTask task, Partner? performer, bool consented, string reason, DateTimeOffset now)
    {
        task.Owner = performer is null ? null : new ResourceReference($"Organization/{performer.Id}", performer.Name);
        task.Restriction = new FhirTask.RestrictionComponent { Period = new Period { End = Instant(now + AcceptWithin(performer)) } };
        task.LastModified = Instant(now);
        if (performer is null)
        {
            task.Status = FhirTask.TaskStatus.Requested;
            task.BusinessStatus = BusinessStatus(AwaitingRouting, "Awaiting routing");
            task.StatusReason = new CodeableConcept { Text = reason };
        }
        else if (!consented)
        {
            task.Status = FhirTask.TaskStatus.OnHold;
            task.BusinessStatus = BusinessStatus(AwaitingConsent, "Awaiting consent");
            task.StatusReason = new CodeableConcept { Text = $"No active Consent of the patient permits sharing with {performer.Name} ({performer.Id}); the Task is held until one does." };
        }
        else
        {
            task.Status = FhirTask.TaskStatus.Requested;
            task.BusinessStatus = null;
            task.StatusReason = null;
        }
    }

    public static bool HasBusinessStatus(FhirTask task, string code) =>
        task.BusinessStatus?.Coding.Any(c => c.System == BusinessStatusSystem && c.Code == code) == true;

    public static CodeableConcept BusinessStatus(string code, string display) => new(BusinessStatusSystem, code, display);

    public static string? OwnerId(FhirTask task) => PartnerId(task.Owner?.Reference);

    public static string? PartnerId(string? organizationReference) =>
        organizationReference is { } reference && reference.StartsWith("Organization/", StringComparison.Ordinal) ? reference["Organization/".Length..] : null;

    /// <summary>A FHIR dateTime to the millisecond, as the gateway writes them.</summary>
    public static string Instant(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture);

    private static TimeSpan AcceptWithin(Partner? performer) =>
        performer?.Sla?.AcceptWithin is { } duration ? XmlConvert.ToTimeSpan(duration) : DefaultAcceptWithin;
}
