using Gateway.Fhir.Search;
using Gateway.Fhir.Storage;

namespace Gateway.Fhir.Tests.Storage;

/// <summary>
/// Which id lookups inside a write keep a generic plan (issue 18): only those whose one condition
/// names one resource. A status, a code without its system, a reference (a GP practice is the
/// requester of tens of thousands of referrals) or several conditions still plan for their values.
/// </summary>
public sealed class IdLookupPlansTests
{
    [Theory]
    [InlineData("Patient", "identifier=https://fhir.nhs.uk/Id/nhs-number|9990000001", "force_generic_plan")]
    [InlineData("ServiceRequest", "identifier=https://hillside.example/referrals|SP-1", "force_generic_plan")]
    [InlineData("Patient", "_id=5f1d2a3b", "force_generic_plan")]
    [InlineData("Patient", "identifier=9990000001", "force_custom_plan")]
    [InlineData("Patient", "identifier=https://fhir.nhs.uk/Id/nhs-number|", "force_custom_plan")]
    [InlineData("Patient", "identifier=|9990000001", "force_custom_plan")]
    [InlineData("Patient", "identifier=https://a.example|1,https://a.example|2", "force_custom_plan")]
    [InlineData("Patient", "identifier:not=https://a.example|1", "force_custom_plan")]
    [InlineData("ServiceRequest", "requester=Organization/hillside-gp", "force_custom_plan")]
    [InlineData("Task", "status=requested", "force_custom_plan")]
    [InlineData("ServiceRequest", "identifier=https://hillside.example/referrals|SP-1&status=active", "force_custom_plan")]
    [InlineData("ServiceRequest", "subject:Patient.identifier=https://fhir.nhs.uk/Id/nhs-number|9990000001", "force_custom_plan")]
    public void A_lookup_keeps_a_generic_plan_only_when_its_one_condition_names_one_resource(string type, string query, string expected) =>
        Assert.Equal(expected, IdLookupPlans.ModeFor(SearchQuery.Parse(type, query)));
}
