using Gateway.Mapping.ReferralOut;
using Hl7.Fhir.Model;

namespace Gateway.Mapping.Tests.ReferralOut;

/// <summary>referral/v1 carries the directory service the referral names and the activities taken up (SPEC §11).</summary>
public sealed class ReferralV1DirectoryTests
{
    [Fact]
    public void The_named_service_and_the_resulting_activity_go_out_with_the_referral()
    {
        var task = new Hl7.Fhir.Model.Task
        {
            Id = "t1",
            Status = Hl7.Fhir.Model.Task.TaskStatus.Completed,
            Output =
            [
                new Hl7.Fhir.Model.Task.OutputComponent
                {
                    Type = new CodeableConcept(Canonicals.TaskOutputType, "resulting-activity"),
                    Value = new ResourceReference("HealthcareService/garden", "Caldmore Garden Volunteers"),
                },
                new Hl7.Fhir.Model.Task.OutputComponent
                {
                    Type = new CodeableConcept(Canonicals.TaskOutputType, "additional-content"),
                    Value = new ResourceReference("QuestionnaireResponse/q1"),
                },
            ],
        };
        var request = new ServiceRequest { Performer = [new ResourceReference("HealthcareService/garden", "Caldmore Garden Volunteers")] };
        var referral = OutboundReferral.FromResources(task, request, new Patient(), new Consent(), new ReferralParty("gp"), new ReferralParty("housing"), false, null);

        var sent = ReferralV1Mapper.Map(referral);

        Assert.Equal(new DirectoryReference("HealthcareService/garden", "Caldmore Garden Volunteers"), sent.DirectoryService);
        Assert.Equal([new DirectoryReference("HealthcareService/garden", "Caldmore Garden Volunteers")], sent.ResultingActivities);
    }

    [Fact]
    public void Without_consent_the_named_service_stays_out()
    {
        var task = new Hl7.Fhir.Model.Task { Id = "t2" };
        var referral = OutboundReferral.FromResources(task, new ServiceRequest { Performer = [new ResourceReference("HealthcareService/garden")] }, null, null,
            new ReferralParty("gp"), new ReferralParty("housing"), false, null);

        var sent = ReferralV1Mapper.Map(referral);

        Assert.Null(sent.DirectoryService);
        Assert.Null(sent.ResultingActivities);
    }
}
