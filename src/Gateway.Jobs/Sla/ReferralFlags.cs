using Gateway.Fhir.Conformance;
using Hl7.Fhir.Model;

namespace Gateway.Jobs.Sla;

/// <summary>The reminder flags the SLA checks put on a referral Task (<c>Task.meta.tag</c>, profiles/CodeSystem-referral-flag.json).</summary>
public static class ReferralFlags
{
    public const string System = GatewayGuide.CanonicalBase + "/CodeSystem/referral-flag";
    public const string UpdateOverdue = "update-overdue";
    public const string RemeasureDue = "remeasure-due";

    public static bool Has(Resource resource, string code) =>
        resource.Meta?.Tag.Any(t => t.System == System && t.Code == code) == true;

    public static void Remove(Resource resource, string code) =>
        resource.Meta?.Tag.RemoveAll(t => t.System == System && t.Code == code);

    public static void Add(Resource resource, string code, string display)
    {
        resource.Meta ??= new Meta();
        resource.Meta.Tag.Add(new Coding(System, code, display));
    }
}
