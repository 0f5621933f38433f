using System.Text.Json.Nodes;
using Gateway.Mapping.HousingReferral;
using Hl7.Fhir.Model;

namespace Gateway.Mapping.Tests.HousingReferral;

public sealed class HousingReferralMapperTests
{
    private static readonly string Sample = TestFiles.Sample("housing-referral/01-damp-and-breathing.json");

    private static string Edited(Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(Sample)!.AsObject();
        edit(json);
        return json.ToJsonString();
    }

    [Fact]
    public void Damp_referral_creates_the_tenant_as_patient_with_nhs_number()
    {
        var result = HousingReferralMapper.Map(Sample, TestFiles.ReceivedAt);

        Assert.Empty(result.Issues);
        var patient = result.Value.Patient.Resource;
        Assert.Equal(Canonicals.NhsNumber, patient.Identifier[0].System);
        Assert.Equal("9994628194", patient.Identifier[0].Value);
        Assert.Equal("Kowalczyk", patient.Name[0].Family);
        Assert.Equal(["Daniel"], patient.Name[0].Given);
        Assert.Equal("2019-06-14", patient.BirthDate);
        Assert.Equal("WS1 3RB", patient.Address[0].PostalCode);
        Assert.Equal("07700 900123", patient.Telecom[0].Value);
    }

    [Fact]
    public void Damp_referral_creates_an_active_permit_consent_for_the_registered_gp()
    {
        var referral = HousingReferralMapper.Map(Sample, TestFiles.ReceivedAt).Value;
        var consent = referral.Consent.Resource;

        Assert.Equal(Consent.ConsentState.Active, consent.Status);
        Assert.Equal(referral.Patient.FullUrl, consent.Patient.Reference);
        Assert.Equal(Consent.ConsentProvisionType.Permit, consent.Provision.Type);
        Assert.Equal("2026-10-12T14:05:00+01:00", consent.Provision.Period.Start);
        var actor = Assert.Single(consent.Provision.Actor);
        Assert.Equal(Canonicals.OdsOrganizationCode, actor.Reference.Identifier.System);
        Assert.Equal("M85001", actor.Reference.Identifier.Value);
        Assert.Equal("disclose", consent.Provision.Action[0].Coding[0].Code);
    }

    [Fact]
    public void Damp_referral_creates_an_active_order_from_the_housing_organisation_to_the_gp()
    {
        var referral = HousingReferralMapper.Map(Sample, TestFiles.ReceivedAt).Value;
        var request = referral.ServiceRequest.Resource;

        Assert.Equal(RequestStatus.Active, request.Status);
        Assert.Equal(RequestIntent.Order, request.Intent);
        Assert.Equal("HR-2026-00031", request.Identifier[0].Value);
        Assert.Equal(Canonicals.ReferralService, request.Code.Coding[0].System);
        Assert.Equal("gp-review", request.Code.Coding[0].Code);
        Assert.Equal(Canonicals.SocialPrescribingReason, request.ReasonCode[0].Coding[0].System);
        Assert.Equal("housing-condition-affecting-health", request.ReasonCode[0].Coding[0].Code);
        Assert.StartsWith("Persistent damp and mould", request.ReasonCode[0].Text, StringComparison.Ordinal);
        Assert.Equal("2026-10-12T14:20:00+01:00", request.AuthoredOn);
        Assert.Equal(Canonicals.PartnerId, request.Requester.Identifier.System);
        Assert.Equal("hfactor-housing", request.Requester.Identifier.Value);
        Assert.Equal("M85001", request.Performer.Single().Identifier.Value);
        Assert.Equal(referral.Patient.FullUrl, request.Subject.Reference);
        Assert.Equal(referral.Consent.FullUrl, request.SupportingInfo.Single().Reference);
    }

    [Fact]
    public void Referral_without_consent_is_refused_and_creates_nothing()
    {
        var result = HousingReferralMapper.Map(Edited(j => j.Remove("consent")), TestFiles.ReceivedAt);

        Assert.Null(result.Value);
        var issue = Assert.Single(result.Issues);
        Assert.Equal(RecordIssueCode.Required, issue.Code);
        Assert.Equal("$.consent", issue.Location);
        Assert.Contains("refused", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Consent_for_another_scope_is_refused()
    {
        var result = HousingReferralMapper.Map(Edited(j => j["consent"]!["scope"] = "share_with_everyone"), TestFiles.ReceivedAt);

        var issue = Assert.Single(result.Issues);
        Assert.Equal(("invalid-value", "$.consent.scope"), (issue.CodeText, issue.Location));
    }

    [Fact]
    public void Without_a_registered_gp_the_consent_actor_is_left_for_the_caller()
    {
        var result = HousingReferralMapper.Map(Edited(j => j.Remove("registeredGp")), TestFiles.ReceivedAt);

        Assert.Empty(result.Issues);
        Assert.Empty(result.Value.Consent.Resource.Provision.Actor);
        Assert.Empty(result.Value.ServiceRequest.Resource.Performer);
    }

    [Fact]
    public void Nhs_number_with_a_wrong_check_digit_is_rejected()
    {
        var result = HousingReferralMapper.Map(Edited(j => j["tenant"]!["nhsNumber"] = "9994628195"), TestFiles.ReceivedAt);

        var issue = Assert.Single(result.Issues);
        Assert.Equal(("check-digit", "$.tenant.nhsNumber"), (issue.CodeText, issue.Location));
        Assert.Contains("modulus-11", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_fields_wrong_types_and_codes_are_all_reported()
    {
        var result = HousingReferralMapper.Map(
            Edited(j =>
            {
                j["bsn"] = "999911120";
                j["reason"] = "noise";
                j["raisedAt"] = 20261012;
                j["tenant"]!.AsObject().Remove("familyName");
            }),
            TestFiles.ReceivedAt);

        Assert.Equal(
            [("invalid-format", "$.raisedAt"), ("invalid-value", "$.reason"), ("required", "$.tenant.familyName"), ("unknown-field", "$.bsn")],
            result.Issues.Select(i => (i.CodeText, i.Location)).Order());
    }
}
