using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Api.Tests.Records;

/// <summary>housing-referral/v1: a housing provider refers a tenant towards health; it becomes a referral to the tenant's GP practice.</summary>
public sealed class HousingReferralRecordTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private static string Sample(string nhsNumber, string? withoutConsent = null)
    {
        var json = Samples.Read("housing-referral/01-damp-and-breathing.json")
            .Replace("\"hfactor-housing\"", $"\"{TestPartners.Housing}\"", StringComparison.Ordinal)
            .Replace("9994628194", nhsNumber, StringComparison.Ordinal)
            .Replace("7d4e8f21-5c3b-4a9e-b1d2-c3e4f5a6b7c8", Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace("HR-2026-00031", "HR-" + Guid.NewGuid().ToString("N")[..8], StringComparison.Ordinal);
        if (withoutConsent is not null)
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
            node.Remove("consent");
            json = node.ToJsonString();
        }

        return json;
    }

    [Fact]
    public async System.Threading.Tasks.Task The_tenants_referral_reaches_the_registered_gp_practice_as_a_task()
    {
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);

        using var response = await housing.PostRecordAsync(Sample(Resources.NewNhsNumber()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var produced = (await response.JsonAsync()).GetProperty("produced").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.Equal(["Patient", "Consent", "ServiceRequest"], produced.Select(p => p.Split('/')[0]));
        var requestId = produced[2].Split('/')[1];
        // The GP practice (ODS M85001) owns the Task and, with the tenant's consent, sees the referral and the patient.
        var gp = gateway.Client;
        var task = await gp.ReferralTaskAsync(requestId);
        Assert.Equal($"Organization/{TestPartners.Gp}", task.Owner.Reference);
        Assert.Equal($"Organization/{TestPartners.Housing}", task.Requester.Reference);
        Assert.Equal(FhirTask.TaskStatus.Requested, task.Status);
        var request = await (await gp.GetAsync($"ServiceRequest/{requestId}")).ReadResourceAsync<ServiceRequest>();
        Assert.Equal("gp-review", request.Code.Coding.Single().Code);
        Assert.Equal(HttpStatusCode.OK, (await gp.GetAsync(task.For.Reference)).StatusCode);
        // The housing provider follows its own referral.
        Assert.Equal(task.Id, (await housing.ReferralTaskAsync(requestId)).Id);
        await Workflow.Referrals.MoveAsync(gp, task, FhirTask.TaskStatus.Accepted);
    }

    [Fact]
    public async System.Threading.Tasks.Task Without_consent_there_is_no_referral()
    {
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var before = await gateway.CountResourcesAsync();

        using var response = await housing.PostRecordAsync(Sample(Resources.NewNhsNumber(), withoutConsent: "yes"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains((await response.ReadOutcomeAsync()).Issue, i => i.Location.Single() == "$.consent");
        Assert.Equal(before, await gateway.CountResourcesAsync());
    }
}
