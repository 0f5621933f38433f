using System.Net;
using Gateway.Fhir.Overview;
using Gateway.Fhir.Storage;
using Gateway.Fhir.Workflow;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Api.Tests.OperatorConsole;

/// <summary>Issue 21, item 8: the home page counts the SLA checks' marks per partner (a businessStatus, or a tag), each count linked to those referrals.</summary>
public sealed class ConsoleSlaBreachTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    [Fact]
    public async System.Threading.Tasks.Task SLA_breaches_are_counted_per_partner_and_linked_to_the_referrals_marked()
    {
        var overdue = await ConsoleReferrals.SendAsync(gateway.Client, Resources.NewNhsNumber(), "SP-" + Guid.NewGuid().ToString("N"));
        var stale = await ConsoleReferrals.SendAsync(gateway.Client, Resources.NewNhsNumber(), "SP-" + Guid.NewGuid().ToString("N"));
        await ConsoleReferrals.SendAsync(gateway.Client, Resources.NewNhsNumber(), "SP-" + Guid.NewGuid().ToString("N"));
        // As the SLA checks mark them (Gateway.Jobs' AcceptanceOverdue and UpdateOverdue).
        await MarkAsync(overdue, task => task.BusinessStatus = ReferralTask.BusinessStatus(ConsoleOverview.AcceptanceOverdue, "Acceptance overdue"));
        await MarkAsync(stale, task => (task.Meta ??= new Meta()).Tag.Add(new Coding(ConsoleOverview.FlagSystem, ConsoleOverview.UpdateOverdue, "Update overdue")));
        var owner = (await (await gateway.Client.GetAsync($"Task/{overdue}")).ReadResourceAsync<FhirTask>()).Owner.Reference.Split('/')[1];
        using var client = ConsoleHttp.Client(gateway);
        await ConsoleHttp.LogInAsync(client);

        var html = await client.GetStringAsync("console");

        Assert.Equal(2, ConsolePage.Tile(html, "sla-breach-count").Count);
        var row = ConsolePage.ChartRows(html, "sla-breaches").Single(r => r.Cells[0] == owner);
        Assert.Equal(["1", "1", "0", "2"], row.Cells[1..]);
        var updateOverdue = await client.GetStringAsync(WebUtility.HtmlDecode(row.Links[2]!));
        Assert.Contains($"Task/{stale}", updateOverdue, StringComparison.Ordinal);
        Assert.DoesNotContain($"Task/{overdue}", updateOverdue, StringComparison.Ordinal);
        var any = await client.GetStringAsync(ConsolePage.Tile(html, "sla-breach-count").Href);
        Assert.Contains($"Task/{stale}", any, StringComparison.Ordinal);
        Assert.Contains($"Task/{overdue}", any, StringComparison.Ordinal);
    }

    private async System.Threading.Tasks.Task MarkAsync(string taskId, Action<FhirTask> mark) =>
        await gateway.Services.GetRequiredService<ResourceStore>().WriteAsync(writer => writer.PatchAsync("Task", taskId, null, resource =>
        {
            var task = (FhirTask)resource;
            mark(task);
            return task;
        }, CancellationToken.None), CancellationToken.None);
}
