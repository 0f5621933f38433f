using Gateway.Fhir.Access;
using Gateway.Fhir.Partners;
using Gateway.Mapping;
using Gateway.Mapping.ReferralOut;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Jobs.Coordination;

/// <summary>
/// What the gateway creates at a partner's FHIR server for a referral, as the SDOH Clinical Care
/// guide's coordination platform does for a performer (SDOHCC-TaskForReferralManagement, the
/// indirect referral): the Patient as far as the consent lets the partner see them, a
/// <c>filler-order</c> ServiceRequest <c>basedOn</c> the GP's, and a Task <c>partOf</c> the
/// gateway's, requested by the platform and owned by the partner. References back to the gateway
/// are absolute. Pure: the job supplies what it read.
/// </summary>
public static class FillerOrder
{
    /// <summary>Carries the gateway Task id on the ServiceRequest and Task made for it: what If-None-Exist asks for, so a retry finds the first.</summary>
    public const string GatewayTaskSystem = Canonicals.Base + "/NamingSystem/gateway-task";

    public const string PlatformSystem = Canonicals.Base + "/NamingSystem/coordination-platform";

    /// <summary>The Patient the referral/v1 minimisation allows (identifiers, name, birth date, postcode), and its If-None-Exist; null when it carries no identifier to find it by.</summary>
    public static (Patient Patient, string IfNoneExist)? Patient(ReferralPatient seen)
    {
        ArgumentNullException.ThrowIfNull(seen);
        var patient = new Patient();
        if (seen.NhsNumber is { } nhs)
        {
            patient.Identifier.Add(new Identifier(Canonicals.NhsNumber, nhs));
        }

        if (seen.ClientNumber is { } client)
        {
            patient.Identifier.Add(new Identifier(DataMinimisation.ClientNumberSystem, client));
        }

        if (patient.Identifier.Count == 0)
        {
            return null;
        }

        if (seen.FamilyName is not null || seen.GivenName is not null)
        {
            patient.Name.Add(new HumanName { Family = seen.FamilyName, Given = seen.GivenName is null ? [] : [seen.GivenName] });
        }

        patient.BirthDate = seen.DateOfBirth;
        if (seen.Address?.Postcode is { } postcode)
        {
            patient.Address.Add(new Address { PostalCode = postcode });
        }

        var key = patient.Identifier[0];
        return (patient, "identifier=" + Uri.EscapeDataString(key.System + "|" + key.Value));
    }

    public static ServiceRequest ServiceRequest(string gatewayBase, FhirTask task, ServiceRequest gpRequest, Partner? gp, Partner performer, string partnerPatientId) => new()
    {
        Identifier = [new Identifier(GatewayTaskSystem, task.Id)],
        Status = RequestStatus.Active,
        Intent = RequestIntent.FillerOrder,
        BasedOn = [new ResourceReference($"{gatewayBase}/ServiceRequest/{gpRequest.Id}")],
        Category = [.. gpRequest.Category.Select(c => (CodeableConcept)c.DeepCopy())],
        Code = (CodeableConcept?)gpRequest.Code?.DeepCopy(),
        ReasonCode = [.. gpRequest.ReasonCode.Select(c => (CodeableConcept)c.DeepCopy())],
        Priority = gpRequest.Priority,
        Subject = new ResourceReference($"Patient/{partnerPatientId}"),
        AuthoredOn = gpRequest.AuthoredOn,
        Requester = gpRequest.Requester?.Reference is { } requester
            ? new ResourceReference($"{gatewayBase}/{requester}", gp?.Name ?? gpRequest.Requester.Display)
            : null,
        Performer = [Party(performer)],
    };

    public static FhirTask Task(string gatewayBase, FhirTask task, Partner performer, string partnerPatientId, string partnerRequestId) => new()
    {
        Identifier = [new Identifier(GatewayTaskSystem, task.Id)],
        PartOf = [new ResourceReference($"{gatewayBase}/Task/{task.Id}")],
        BasedOn = [new ResourceReference($"ServiceRequest/{partnerRequestId}")],
        Focus = new ResourceReference($"ServiceRequest/{partnerRequestId}"),
        Status = FhirTask.TaskStatus.Requested,
        Intent = FhirTask.TaskIntent.Order,
        Code = new CodeableConcept("http://hl7.org/fhir/CodeSystem/task-code", "fulfill", "Fulfill the focal request"),
        For = new ResourceReference($"Patient/{partnerPatientId}"),
        AuthoredOn = task.AuthoredOn,
        LastModified = task.LastModified,
        // The guide's subtask: requested by the coordination platform, owned by the performer.
        Requester = new ResourceReference { Identifier = new Identifier(PlatformSystem, "interop-gateway"), Display = "Interop Gateway (coordination platform)" },
        Owner = Party(performer),
        Restriction = (FhirTask.RestrictionComponent?)task.Restriction?.DeepCopy(),
    };

    /// <summary>The If-None-Exist that finds what was made for <paramref name="gatewayTaskId"/>.</summary>
    public static string ByGatewayTask(string gatewayTaskId) => "identifier=" + Uri.EscapeDataString(GatewayTaskSystem + "|" + gatewayTaskId);

    // The partner's own id for itself is not ours to know: a logical reference by its identifier.
    private static ResourceReference Party(Partner partner) => new()
    {
        Type = "Organization",
        Identifier = partner.Identifiers is [var identifier, ..] ? new Identifier(identifier.System, identifier.Value) : new Identifier(Canonicals.PartnerId, partner.Id),
        Display = partner.Name,
    };
}
