using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Status = Hl7.Fhir.Model.Task.TaskStatus;

namespace Gateway.Api.Tests.Workflow;

/// <summary>Two systems moving one Task at the same moment: one wins, the other is told, nothing is lost.</summary>
public sealed class TaskConcurrencyTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    [Fact]
    public async Task With_if_match_the_second_of_two_racing_moves_is_412()
    {
        for (var round = 0; round < 5; round++)
        {
            var referral = await Referrals.SendUkSampleAsync(gateway.Client);
            var housing = await gateway.CreateClientAsync(TestPartners.Housing);
            var task = await housing.ReferralTaskAsync(referral.RequestId);

            var answers = await System.Threading.Tasks.Task.WhenAll(
                Referrals.PutAsync(housing, task, Status.Accepted),
                Referrals.PutAsync(housing, task, Status.Rejected, t => t.StatusReason = Referrals.Reason("No capacity")));

            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.PreconditionFailed);
            await AssertOneMoveStored(housing, task.Id);
        }
    }

    [Fact]
    public async Task Without_if_match_the_second_of_two_racing_moves_is_409_against_the_winners_state()
    {
        for (var round = 0; round < 5; round++)
        {
            var referral = await Referrals.SendUkSampleAsync(gateway.Client);
            var housing = await gateway.CreateClientAsync(TestPartners.Housing);
            var task = await housing.ReferralTaskAsync(referral.RequestId);
            var accept = (Hl7.Fhir.Model.Task)task.DeepCopy();
            accept.Status = Status.Accepted;
            var reject = (Hl7.Fhir.Model.Task)task.DeepCopy();
            reject.Status = Status.Rejected;
            reject.StatusReason = Referrals.Reason("No capacity");

            var answers = await System.Threading.Tasks.Task.WhenAll(housing.PutAsync($"Task/{task.Id}", accept), housing.PutAsync($"Task/{task.Id}", reject));

            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
            var loser = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Conflict);
            Assert.Contains("cannot move to", (await loser.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
            await AssertOneMoveStored(housing, task.Id);
        }
    }

    private static async System.Threading.Tasks.Task AssertOneMoveStored(HttpClient client, string taskId)
    {
        var history = await (await client.GetAsync($"Task/{taskId}/_history")).ReadResourceAsync<Bundle>();
        Assert.Equal(2, history.Entry.Count);
    }
}
