using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Gateway.Mapping.ReferralOut;

/// <summary>What the gateway knows of a routed referral, as the receiving partner may have it, as stored FHIR JSON.</summary>
/// <param name="Request">The ServiceRequest; without consent only its identifier (the referral number) is sent.</param>
/// <param name="Patient">The Patient; null when the partner may not see them (no consent).</param>
/// <param name="Consent">The active Consent naming the partner; null without one.</param>
/// <param name="ClientNumber">The gateway's pseudonymous client number, sent instead of any BSN to a welfare organisation.</param>
public sealed record OutboundReferral(
    JsonElement Task,
    JsonElement? Request,
    JsonElement? Patient,
    JsonElement? Consent,
    ReferralParty From,
    ReferralParty To,
    bool IsWelfareOrganisation,
    string? ClientNumber)
{
    private static readonly BaseFhirJsonSerializer Serializer = new(ModelInfo.ModelInspector);

    /// <summary>The same from POCOs (a Task in hand rather than stored), through their FHIR JSON, so one mapping serves both.</summary>
    public static OutboundReferral FromResources(
        Hl7.Fhir.Model.Task task, ServiceRequest? request, Patient? patient, Consent? consent,
        ReferralParty from, ReferralParty to, bool isWelfareOrganisation, string? clientNumber) =>
        new(Json(task)!.Value, Json(request), Json(patient), Json(consent), from, to, isWelfareOrganisation, clientNumber);

    private static JsonElement? Json(Resource? resource) =>
        resource is null ? null : JsonDocument.Parse(Serializer.SerializeToString(resource)).RootElement;
}

/// <summary>
/// A routed referral as referral/v1 (SPEC §6): minimised for the partner. No BSN ever goes to a
/// welfare organisation; without consent, only the referral's numbers, status and due date.
/// Read straight from the stored FHIR JSON (the feed maps a hundred referrals a page; parsing four
/// POCOs each was two thirds of its CPU), member by member as the POCOs gave them.
/// </summary>
public static class ReferralV1Mapper
{
    private const string NhsNumberSystem = Canonicals.NhsNumber;
    private const string BsnSystem = "http://fhir.nl/fhir/NamingSystem/bsn";

    public static ReferralV1 Map(OutboundReferral referral)
    {
        ArgumentNullException.ThrowIfNull(referral);
        JsonElement? task = referral.Task;
        var consented = referral.Consent is not null && referral.Patient is not null;
        var request = consented ? referral.Request : null;
        var code = request.Member("code");
        var coding = code.First("coding");
        var taskId = task.String("id");
        var taskNumber = task.First("identifier").String("value");
        return new ReferralV1(
            ReferralNumber: referral.Request.First("identifier").String("value") ?? taskNumber ?? taskId ?? "",
            GatewayTaskId: taskId ?? "",
            GatewayReferralNumber: taskNumber,
            SentAt: task.Member("meta").String("lastUpdated") is { } lastUpdated ? PrimitiveTypeConverter.ConvertTo<DateTimeOffset>(lastUpdated) : DateTimeOffset.MinValue,
            Status: task.String("status") ?? "requested",
            BusinessStatus: task.Member("businessStatus").First("coding").String("code"),
            From: referral.From,
            To: referral.To,
            Service: request is null ? null : new ReferralService(coding.String("code"), coding.String("system"), coding.String("display") ?? code.String("text")),
            Reason: request is null ? null : string.Join("; ", request.Items("reasonCode")
                .Select(r => (JsonElement?)r)
                .Select(r => r.String("text") ?? r.First("coding").String("display") ?? r.First("coding").String("code")).OfType<string>()),
            Notes: request is null || !request.Items("note").Any() ? null : string.Join("\n", request.Items("note").Select(n => ((JsonElement?)n).String("text"))),
            Patient: consented ? PatientOf(referral.Patient, referral.IsWelfareOrganisation, referral.ClientNumber) : null,
            Consent: consented ? new ReferralConsent("active", referral.To.Partner, referral.Consent.Member("provision").Member("period").String("end")) : null,
            RespondBy: task.Member("restriction").Member("period").String("end") is { Length: >= 10 } due ? due[..10] : null,
            Links: new ReferralLinks($"/fhir/Task/{taskId}", "/records"),
            DirectoryService: request.Items("performer").Select(p => (JsonElement?)p)
                .Where(p => p.String("reference")?.StartsWith("HealthcareService/", StringComparison.Ordinal) == true)
                .Select(p => new DirectoryReference(p.String("reference")!, p.String("display"))).FirstOrDefault(),
            ResultingActivities: ResultingActivities(task));
    }

    // The directory services the Task's resulting-activity outputs name (SPEC §11); null when none do, so the member is left out.
    private static List<DirectoryReference>? ResultingActivities(JsonElement? task)
    {
        var activities = task.Items("output").Select(o => (JsonElement?)o)
            .Where(o => o.Member("type").Items("coding").Any(c => ((JsonElement?)c).String("code") == "resulting-activity"))
            .Select(o => o.Member("valueReference"))
            .Where(r => r.String("reference")?.StartsWith("HealthcareService/", StringComparison.Ordinal) == true)
            .Select(r => new DirectoryReference(r.String("reference")!, r.String("display")))
            .ToList();
        return activities.Count == 0 ? null : activities;
    }

    private static ReferralPatient PatientOf(JsonElement? patient, bool welfare, string? clientNumber)
    {
        var name = patient.First("name");
        var address = patient.First("address");
        var identifiers = patient.Items("identifier").Select(i => (JsonElement?)i).ToList();
        return new ReferralPatient(
            NhsNumber: welfare ? null : identifiers.FirstOrDefault(i => i.String("system") == NhsNumberSystem).String("value"),
            ClientNumber: welfare || identifiers.Any(i => i.String("system") == BsnSystem) ? clientNumber : null,
            GivenName: name.First("given").AsString(),
            FamilyName: name.String("family"),
            DateOfBirth: patient.String("birthDate"),
            Phone: patient.Items("telecom").Select(t => (JsonElement?)t).FirstOrDefault(t => t.String("system") == "phone").String("value"),
            Address: address is null ? null : new ReferralAddress(address.Items("line").Select(l => ((JsonElement?)l).AsString()).OfType<string>().ToList(), address.String("city"), address.String("postalCode")));
    }
}
