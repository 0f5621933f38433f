using Gateway.Testing;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Api.Tests.Sandbox;

/// <summary>The sandbox starts with demo referrals in the states a partner meets, made through the product's own paths, once.</summary>
public sealed class DemoSeedTests(SandboxGatewayApp sandbox) : IClassFixture<SandboxGatewayApp>
{
    [Fact]
    public async Task The_gp_sees_its_demo_referrals_in_their_states()
    {
        var tasks = await TasksAsync(sandbox.Client, "Task?requester=Organization/hillside-gp&_count=50");

        Assert.Equal(["Accepted", "Completed", "InProgress", "OnHold", "Requested"], tasks.Select(t => t.Status!.Value.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal("awaiting-consent", tasks.Single(t => t.Status == FhirTask.TaskStatus.OnHold).BusinessStatus.Coding.Single().Code);
        Assert.All(tasks.Where(t => t.Status != FhirTask.TaskStatus.OnHold), t => Assert.Equal("Organization/hfactor-housing", t.Owner.Reference));
        var inProgress = tasks.Single(t => t.Status == FhirTask.TaskStatus.InProgress);
        var measures = await sandbox.Client.SearchAsync($"QuestionnaireResponse?based-on={inProgress.Focus.Reference}");
        Assert.Equal("https://interop-gateway.example/fhir/Questionnaire/ons4", ((QuestionnaireResponse)Assert.Single(measures.Entry).Resource).Questionnaire);
        Assert.NotEmpty(tasks.Single(t => t.Status == FhirTask.TaskStatus.Completed).Output);
    }

    [Fact]
    public async Task The_welfare_organisation_has_the_dutch_referral_in_progress_from_its_export()
    {
        using var welfare = await sandbox.DemoClientAsync(SandboxGatewayApp.WelfareClient, "system/Task.rs");

        var task = Assert.Single(await TasksAsync(welfare, "Task?owner=Organization/wor-kampen"));

        Assert.Equal(FhirTask.TaskStatus.InProgress, task.Status);
        Assert.Equal("Organization/de-brug-huisartsen", task.Requester.Reference);
    }

    [Fact]
    public async Task A_second_start_seeds_nothing_new()
    {
        var before = await sandbox.CountResourcesAsync();

        await sandbox.StartAgainAsync();

        Assert.Equal(before, await sandbox.CountResourcesAsync());
    }

    private static async Task<List<FhirTask>> TasksAsync(HttpClient client, string query) =>
        (await client.SearchAsync(query)).Entry.Select(e => e.Resource).OfType<FhirTask>().ToList();
}
