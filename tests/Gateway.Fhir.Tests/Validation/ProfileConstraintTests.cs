using Gateway.Fhir.Conformance;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Severity = Hl7.Fhir.Model.OperationOutcome.IssueSeverity;

namespace Gateway.Fhir.Tests.Validation;

/// <summary>
/// issue 5: each constraint of each profile broken once, on a copy of the profile's valid example;
/// validation must report that rule at that FHIRPath with that severity.
/// </summary>
public sealed class ProfileConstraintTests
{
    private const string Margaret = "Patient-example-margaret.json";
    private const string DeVries = "Patient-example-de-vries.json";
    private const string Hfactor = "Organization-example-hfactor.json";
    private const string Consent = "Consent-example-margaret-hfactor.json";
    private const string Referral = "ServiceRequest-example-sp-2026-1187.json";
    private const string ReferralTask = "Task-example-hfactor.json";
    private const string Ons4 = "QuestionnaireResponse-example-ons4-baseline.json";
    private const string PositiveHealth = "QuestionnaireResponse-example-positive-health.json";
    private const string Befriending = "HealthcareService-example-befriending.json";
    private const string Sct = "http://snomed.info/sct";

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["Patient without a name"] = Break<Patient>(Margaret, p => p.Name.Clear(), "Patient.name", "cardinality"),
        ["Patient without a birth date"] = Break<Patient>(Margaret, p => p.BirthDate = null, "Patient.birthDate", "cardinality"),
        ["Patient without an identifier"] = Break<Patient>(Margaret, p => p.Identifier.Clear(), "Patient.identifier", "cardinality"),
        ["Patient with two NHS numbers"] = Break<Patient>(Margaret, p => p.Identifier.Add(new Identifier("https://fhir.nhs.uk/Id/nhs-number", "9434765919")), "Patient.identifier", "cardinality"),
        ["Patient with neither NHS number nor BSN"] = Break<Patient>(Margaret, p => p.Identifier[0].System = "https://hillside.example/patients", "Patient", "gw-pat-1"),
        ["NHS number with a wrong check digit"] = Break<Patient>(Margaret, p => p.Identifier[0].Value = "9995908302", "Patient.identifier[0]", "gw-pat-2"),
        ["NHS number of nine digits"] = Break<Patient>(Margaret, p => p.Identifier[0].Value = "999590830", "Patient.identifier[0]", "gw-pat-2"),
        ["BSN failing the 11-test"] = Break<Patient>(DeVries, p => p.Identifier[0].Value = "999911121", "Patient.identifier[0]", "gw-pat-3"),
        ["NHS number slice without a value"] = Break<Patient>(Margaret, p => p.Identifier[0].Value = null, "Patient.identifier[0].value", "cardinality"),

        ["Organization without a name"] = Break<Organization>(Hfactor, o => o.Name = null, "Organization.name", "cardinality"),
        ["Organization without an identifier"] = Break<Organization>(Hfactor, o => o.Identifier.Clear(), "Organization.identifier", "cardinality"),
        ["Organization kind outside the value set"] = Break<Organization>(Hfactor, o => o.Type[0].Coding[0].Code = "bank", "Organization.type[0]", "binding", Severity.Warning),
        ["Organization with two ODS codes"] = Break<Organization>(Hfactor, o => o.Identifier.Add(new Identifier("https://fhir.nhs.uk/Id/ods-organization-code", "X1")), "Organization.identifier", "cardinality"),

        ["Consent of another scope"] = Break<Hl7.Fhir.Model.Consent>(Consent, c => c.Scope.Coding[0].Code = "research", "Consent.scope", "pattern"),
        ["Consent that denies"] = Break<Hl7.Fhir.Model.Consent>(Consent, c => c.Provision.Type = Hl7.Fhir.Model.Consent.ConsentProvisionType.Deny, "Consent.provision.type", "fixed-value"),
        ["Consent without a period"] = Break<Hl7.Fhir.Model.Consent>(Consent, c => c.Provision.Period = null, "Consent.provision.period", "cardinality"),
        ["Consent period without a start"] = Break<Hl7.Fhir.Model.Consent>(Consent, c => c.Provision.Period.Start = null, "Consent.provision.period.start", "cardinality"),
        ["Consent without an actor"] = Break<Hl7.Fhir.Model.Consent>(Consent, c => c.Provision.Actor.Clear(), "Consent.provision.actor", "cardinality"),
        ["Consent without an action"] = Break<Hl7.Fhir.Model.Consent>(Consent, c => c.Provision.Action.Clear(), "Consent.provision.action", "cardinality"),
        ["Consent without a provision"] = Break<Hl7.Fhir.Model.Consent>(Consent, c => c.Provision = null, "Consent.provision", "cardinality"),
        ["Consent without a date"] = Break<Hl7.Fhir.Model.Consent>(Consent, c => c.DateTime = null, "Consent.dateTime", "cardinality"),
        ["Consent of a group"] = Break<Hl7.Fhir.Model.Consent>(Consent, c => c.Patient.Reference = "Group/g1", "Consent.patient", "reference-target"),
        ["Consent shared with a patient"] = Break<Hl7.Fhir.Model.Consent>(Consent, c => c.Provision.Actor[0].Reference.Reference = "Patient/p1", "Consent.provision.actor[0].reference", "reference-target"),
        ["Consent ending before it starts"] = Break<Hl7.Fhir.Model.Consent>(Consent, c => c.Provision.Period.End = "2025-01-01", "Consent", "gw-con-1"),
        ["Consent's nested provision for another purpose"] = Break<Hl7.Fhir.Model.Consent>(Consent, c => c.Provision.Provision.Add(new()
        {
            Type = Hl7.Fhir.Model.Consent.ConsentProvisionType.Permit,
            Purpose = [new Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", "HMARKT")],
        }), "Consent", "gw-con-2"),
        ["Research use that denies"] = Break<Hl7.Fhir.Model.Consent>(Consent, c => c.Provision.Provision.Add(new()
        {
            Type = Hl7.Fhir.Model.Consent.ConsentProvisionType.Deny,
            Purpose = [new Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", "HRESCH")],
        }), "Consent.provision.provision[0].type", "fixed-value"),

        ["Capacity without acceptsReferrals"] = Break<HealthcareService>(Befriending, h => h.Extension[0].Extension.RemoveAt(0), "HealthcareService.extension[0].extension", "cardinality"),
        ["Capacity whose wait is not a Duration"] = Break<HealthcareService>(Befriending, h => h.Extension[0].Extension[1].Value = new FhirString("two weeks"), "HealthcareService.extension[0].extension[1].value", "type"),
        ["Capacity stated twice"] = Break<HealthcareService>(Befriending, h => h.Extension.Add((Extension)h.Extension[0].DeepCopy()), "HealthcareService.extension", "cardinality"),
        ["Capacity with a value of its own"] = Break<HealthcareService>(Befriending, h => h.Extension[0].Value = new FhirBoolean(true), "HealthcareService.extension[0].value", "cardinality"),

        ["ServiceRequest without an identifier"] = Break<ServiceRequest>(Referral, s => s.Identifier.Clear(), "ServiceRequest.identifier", "cardinality"),
        ["ServiceRequest that is a plan"] = Break<ServiceRequest>(Referral, s => s.Intent = RequestIntent.Plan, "ServiceRequest.intent", "fixed-value"),
        ["ServiceRequest without a category"] = Break<ServiceRequest>(Referral, s => s.Category.Clear(), "ServiceRequest.category", "cardinality"),
        ["ServiceRequest of another category"] = Break<ServiceRequest>(Referral, s => s.Category[0] = new CodeableConcept(Sct, "183444007"), "ServiceRequest.category[0]", "binding"),
        ["ServiceRequest without a code"] = Break<ServiceRequest>(Referral, s => s.Code = null, "ServiceRequest.code", "cardinality"),
        ["ServiceRequest for another service"] = Break<ServiceRequest>(Referral, s => s.Code = new CodeableConcept(Sct, "73761001"), "ServiceRequest.code", "binding"),
        ["ServiceRequest with a service as text only"] = Break<ServiceRequest>(Referral, s => s.Code = new CodeableConcept { Text = "befriending" }, "ServiceRequest.code", "binding"),
        ["ServiceRequest without an author date"] = Break<ServiceRequest>(Referral, s => s.AuthoredOn = null, "ServiceRequest.authoredOn", "cardinality"),
        ["ServiceRequest without a requester"] = Break<ServiceRequest>(Referral, s => s.Requester = null, "ServiceRequest.requester", "cardinality"),
        ["ServiceRequest requested by a patient"] = Break<ServiceRequest>(Referral, s => s.Requester.Reference = "Patient/p1", "ServiceRequest.requester", "reference-target"),
        ["ServiceRequest about a group"] = Break<ServiceRequest>(Referral, s => s.Subject.Reference = "Group/g1", "ServiceRequest.subject", "reference-target"),
        ["ServiceRequest performed by a patient"] = Break<ServiceRequest>(Referral, s => s.Performer[0].Reference = "Patient/p1", "ServiceRequest.performer[0]", "reference-target"),
        ["ServiceRequest supported by a task"] = Break<ServiceRequest>(Referral, s => s.SupportingInfo[0].Reference = "Task/t1", "ServiceRequest.supportingInfo[0]", "reference-target"),
        ["ServiceRequest without a reason"] = Break<ServiceRequest>(Referral, s => s.ReasonCode.Clear(), "ServiceRequest", "gw-sr-1"),
        ["ServiceRequest with an unknown reason code"] = Break<ServiceRequest>(Referral, s => s.ReasonCode[0].Coding[0].Code = "boredom", "ServiceRequest.reasonCode[0]", "binding", Severity.Warning),

        ["Task without an identifier"] = Break<Hl7.Fhir.Model.Task>(ReferralTask, t => t.Identifier.Clear(), "Task.identifier", "cardinality"),
        ["Task that is a plan"] = Break<Hl7.Fhir.Model.Task>(ReferralTask, t => t.Intent = Hl7.Fhir.Model.Task.TaskIntent.Plan, "Task.intent", "fixed-value"),
        ["Task of another code"] = Break<Hl7.Fhir.Model.Task>(ReferralTask, t => t.Code.Coding[0].Code = "approve", "Task.code", "pattern"),
        ["Task without a code"] = Break<Hl7.Fhir.Model.Task>(ReferralTask, t => t.Code = null, "Task.code", "cardinality"),
        ["Task with a business status of its own"] = Break<Hl7.Fhir.Model.Task>(ReferralTask, t => t.BusinessStatus.Coding[0].Code = "done-and-dusted", "Task.businessStatus", "binding"),
        ["Task without basedOn"] = Break<Hl7.Fhir.Model.Task>(ReferralTask, t => t.BasedOn.Clear(), "Task.basedOn", "cardinality"),
        ["Task based on a task"] = Break<Hl7.Fhir.Model.Task>(ReferralTask, t => t.BasedOn[0].Reference = "Task/t1", "Task.basedOn[0]", "reference-target"),
        ["Task without a focus"] = Break<Hl7.Fhir.Model.Task>(ReferralTask, t => t.Focus = null, "Task.focus", "cardinality"),
        ["Task without a patient"] = Break<Hl7.Fhir.Model.Task>(ReferralTask, t => t.For = null, "Task.for", "cardinality"),
        ["Task for a group"] = Break<Hl7.Fhir.Model.Task>(ReferralTask, t => t.For.Reference = "Group/g1", "Task.for", "reference-target"),
        ["Task without an author date"] = Break<Hl7.Fhir.Model.Task>(ReferralTask, t => t.AuthoredOn = null, "Task.authoredOn", "cardinality"),
        ["Task without a requester"] = Break<Hl7.Fhir.Model.Task>(ReferralTask, t => t.Requester = null, "Task.requester", "cardinality"),
        ["Task owned by a patient"] = Break<Hl7.Fhir.Model.Task>(ReferralTask, t => t.Owner.Reference = "Patient/p1", "Task.owner", "reference-target"),
        ["Task restriction without a period"] = Break<Hl7.Fhir.Model.Task>(ReferralTask, t => t.Restriction.Period = null, "Task.restriction.period", "cardinality"),
        ["Task SLA without an end"] = Break<Hl7.Fhir.Model.Task>(ReferralTask, t => t.Restriction.Period = new Period { Start = "2026-09-28" }, "Task.restriction.period.end", "cardinality"),
        ["Task output of another type"] = Break<Hl7.Fhir.Model.Task>(ReferralTask, t => t.Output[0].Type.Coding[0].Code = "invoice", "Task.output[0].type", "binding"),
        ["Task output as a string"] = Break<Hl7.Fhir.Model.Task>(ReferralTask, t => t.Output[0].Value = new FhirString("volunteering"), "Task.output[0].value", "type"),
        ["Task output referring to a patient"] = Break<Hl7.Fhir.Model.Task>(ReferralTask, t => ((ResourceReference)t.Output[1].Value).Reference = "Patient/p1", "Task.output[1].value", "reference-target"),
        ["Failed Task without a reason"] = Break<Hl7.Fhir.Model.Task>(ReferralTask, t => t.Status = Hl7.Fhir.Model.Task.TaskStatus.Failed, "Task", "gw-task-1"),
        ["Completed Task without outputs"] = Break<Hl7.Fhir.Model.Task>(ReferralTask, t => t.Output.Clear(), "Task", "gw-task-2"),
        ["Task without owner not awaiting routing"] = Break<Hl7.Fhir.Model.Task>(ReferralTask, t => t.Owner = null, "Task", "gw-task-3"),
        ["Task focused on another request"] = Break<Hl7.Fhir.Model.Task>(ReferralTask, t => t.Focus.Reference = "ServiceRequest/other", "Task", "gw-task-4"),

        ["Response to a foreign questionnaire"] = Break<QuestionnaireResponse>(Ons4, q => q.Questionnaire = "https://example.org/Questionnaire/phq9", "QuestionnaireResponse", "gw-qr-1"),
        ["Response to an unknown questionnaire of the guide"] = Break<QuestionnaireResponse>(Ons4, q => q.Questionnaire = "https://interop-gateway.example/fhir/Questionnaire/gad7", "QuestionnaireResponse.questionnaire", "questionnaire"),
        ["Response without basedOn"] = Break<QuestionnaireResponse>(Ons4, q => q.BasedOn.Clear(), "QuestionnaireResponse.basedOn", "cardinality"),
        ["Response based on a task"] = Break<QuestionnaireResponse>(Ons4, q => q.BasedOn[0].Reference = "Task/t1", "QuestionnaireResponse.basedOn[0]", "reference-target"),
        ["Response without a subject"] = Break<QuestionnaireResponse>(Ons4, q => q.Subject = null, "QuestionnaireResponse.subject", "cardinality"),
        ["Response without a date"] = Break<QuestionnaireResponse>(Ons4, q => q.Authored = null, "QuestionnaireResponse.authored", "cardinality"),
        ["Response by a device"] = Break<QuestionnaireResponse>(Ons4, q => q.Author.Reference = "Device/d1", "QuestionnaireResponse.author", "reference-target"),
        ["ONS4 answer out of range"] = Break<QuestionnaireResponse>(Ons4, q => q.Item[0].Answer[0].Value = new Integer(11), "QuestionnaireResponse.item[0].answer[0].value", "questionnaire-answer"),
        ["ONS4 answer of the wrong type"] = Break<QuestionnaireResponse>(Ons4, q => q.Item[1].Answer[0].Value = new FhirString("5"), "QuestionnaireResponse.item[1].answer[0].value", "questionnaire-answer"),
        ["ONS4 item answered twice"] = Break<QuestionnaireResponse>(Ons4, q => q.Item[2].Answer.Add(new QuestionnaireResponse.AnswerComponent { Value = new Integer(4) }), "QuestionnaireResponse.item[2].answer", "questionnaire-answer"),
        ["ONS4 item not in the questionnaire"] = Break<QuestionnaireResponse>(Ons4, q => q.Item[3].LinkId = "lonely", "QuestionnaireResponse.item[3].linkId", "questionnaire-item"),
        ["Completed ONS4 missing an answer"] = Break<QuestionnaireResponse>(Ons4, q => q.Item.RemoveAt(3), "QuestionnaireResponse.item", "questionnaire-required"),
        ["Positive health score below zero"] = Break<QuestionnaireResponse>(PositiveHealth, q => q.Item[2].Answer[0].Value = new FhirDecimal(-0.5m), "QuestionnaireResponse.item[2].answer[0].value", "questionnaire-answer"),
        ["Positive health score as an integer"] = Break<QuestionnaireResponse>(PositiveHealth, q => q.Item[0].Answer[0].Value = new Integer(5), "QuestionnaireResponse.item[0].answer[0].value", "questionnaire-answer"),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Breaking_a_constraint_reports_its_rule_at_its_fhirpath(string name)
    {
        var (file, breakIt, expression, rule, severity) = Cases[name];
        var resource = Guide.Example<Resource>(file);
        breakIt(resource);

        var issues = Guide.Validator.Validate(resource).Issues;

        Assert.Contains(issues, i => i.Expression.SequenceEqual([expression])
            && i.Severity == severity
            && i.Details.Coding.Any(c => c.System == GatewayGuide.ValidationRuleSystem && c.Code == rule)
            && !string.IsNullOrWhiteSpace(i.Diagnostics));
    }

    [Fact]
    public void Every_invariant_of_the_guide_is_broken_by_a_case()
    {
        var keys = Guide.Resources.Profiles.SelectMany(p => p.Differential.Element).SelectMany(e => e.Constraint).Select(c => c.Key);

        Assert.All(keys, key => Assert.Contains(Cases.Values, c => c.Rule == key));
    }

    [Fact]
    public void Every_rule_reported_is_in_the_validation_rule_code_system()
    {
        var codes = Guide.Resources.Find<CodeSystem>(GatewayGuide.ValidationRuleSystem)!.Concept.Select(c => c.Code).ToHashSet();

        Assert.All(Cases.Values, c => Assert.Contains(c.Rule, codes));
        Assert.All(Guide.Resources.Profiles.SelectMany(p => p.Differential.Element).SelectMany(e => e.Constraint), c => Assert.Contains(c.Key, codes));
    }

    private static Case Break<T>(string file, Action<T> breakIt, string expression, string rule, Severity severity = Severity.Error) where T : Resource =>
        new(file, r => breakIt((T)r), expression, rule, severity);

    private sealed record Case(string File, Action<Resource> BreakIt, string Expression, string Rule, Severity Severity);
}
