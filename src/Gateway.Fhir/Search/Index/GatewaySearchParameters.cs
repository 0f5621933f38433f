using Gateway.Fhir.Conformance;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Search.Index;

/// <summary>
/// Search parameters the gateway indexes beyond R4's own. Each is published as a SearchParameter in
/// profiles/ under the same url, and the guide's load checks the two agree (docs/adr/0004).
/// </summary>
public static class GatewaySearchParameters
{
    public static readonly IReadOnlyList<SearchParamDefinition> All =
    [
        // SPEC §5 SLAs: a referral Task's deadline is restriction.period.end; R4's Task 'period' is executionPeriod.
        new()
        {
            Resource = "Task",
            Name = "due",
            Url = GatewayGuide.Canonical("SearchParameter", "task-due"),
            Type = SearchParamType.Date,
            Expression = "Task.restriction.period.end",
            Description = "The SLA deadline of a referral Task (Task.restriction.period.end)",
        },
        // SPEC §11: the services that take referrals now (Directory/ServiceCapacity).
        new()
        {
            Resource = "HealthcareService",
            Name = "accepts-referrals",
            Url = GatewayGuide.Canonical("SearchParameter", "healthcareservice-accepts-referrals"),
            Type = SearchParamType.Token,
            Expression = "HealthcareService.extension('" + ServiceDirectory.ServiceCapacity.Url + "').extension('acceptsReferrals').value",
            Description = "Whether a directory entry takes referrals now",
        },
    ];
}
