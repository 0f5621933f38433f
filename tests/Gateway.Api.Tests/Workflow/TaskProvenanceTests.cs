using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Api.Tests.Workflow;

/// <summary>Issue 17, item 3: every Task state change has its Provenance, whatever path made it.</summary>
public sealed class TaskProvenanceTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private async Task<(FhirTask Task, HttpClient Housing)> Routed()
    {
        var referral = await Referrals.SendUkSampleAsync(gateway.Client);
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        return (await housing.ReferralTaskAsync(referral.RequestId), housing);
    }

    private static Task<HttpResponseMessage> PatchAsync(HttpClient client, string taskId, string patch) =>
        client.SendAsync(HttpMethod.Patch, $"Task/{taskId}", FhirHttp.Content(patch, "application/json-patch+json"));

    [Fact]
    public async System.Threading.Tasks.Task Each_move_the_owner_patches_has_a_provenance_naming_the_transition_and_the_new_version()
    {
        var (task, housing) = await Routed();

        foreach (var patch in new[]
        {
            """[{"op":"replace","path":"/status","value":"accepted"}]""",
            """[{"op":"replace","path":"/status","value":"in-progress"}]""",
            """[{"op":"replace","path":"/status","value":"on-hold"},{"op":"add","path":"/statusReason","value":{"text":"Tenant in hospital"}}]""",
        })
        {
            using var response = await PatchAsync(housing, task.Id, patch);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var trail = (await gateway.Client.SearchAsync($"Provenance?target=Task/{task.Id}")).Entry.Select(e => (Provenance)e.Resource).ToList();
        Assert.Equal(4, trail.Count);
        foreach (var (version, from, to) in new[] { (2, "requested", "accepted"), (3, "accepted", "in-progress"), (4, "in-progress", "on-hold") })
        {
            var provenance = Assert.Single(trail, p => p.Target.Any(t => t.Reference == $"Task/{task.Id}/_history/{version}"));
            Assert.StartsWith($"Task/{task.Id} moved from {from} to {to} by Organization/{TestPartners.Housing}", provenance.Activity.Text, StringComparison.Ordinal);
            Assert.Contains(provenance.Agent, a => a.OnBehalfOf?.Reference == $"Organization/{TestPartners.Housing}");
        }
    }
}
