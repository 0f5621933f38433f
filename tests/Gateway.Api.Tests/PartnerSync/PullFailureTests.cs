using Gateway.Jobs.PartnerSync;
using Gateway.Testing;
using Hangfire;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Api.Tests.PartnerSync;

/// <summary>A partner's export that is down, slow or answers garbage: the pull fails visibly, is retried, and the cursor stays where it was.</summary>
public sealed class PullFailureTests(PartnerSyncGateway gateway) : IClassFixture<PartnerSyncGateway>, IAsyncLifetime
{
    private const string Cursor = "7";

    public async Task InitializeAsync() =>
        await gateway.Services.GetRequiredService<SyncCursor>().SetAsync(TestPartners.Housing, Cursor, DateTimeOffset.UtcNow, CancellationToken.None);

    public Task DisposeAsync()
    {
        gateway.Export.Failure = null;
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_500_fails_the_job_saying_which_partner_and_url_and_hangfire_schedules_a_retry()
    {
        gateway.Export.Failure = context =>
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return context.Response.WriteAsync("database on fire");
        };

        var jobId = HangfireJobs.Trigger(gateway, PullPartnerRecordsJob.RecurringId(TestPartners.Housing));
        var state = await HangfireJobs.WaitForStateAsync(gateway, jobId, "Scheduled", "Failed", "Succeeded");

        Assert.Equal("Scheduled", state.Name);
        Assert.Contains("Retry attempt 1 of 5", state.Reason, StringComparison.Ordinal);
        var history = string.Join("\n", HangfireJobs.History(gateway, jobId));
        Assert.Contains($"Pull of {TestPartners.Housing} from {gateway.Export.Url}?since={Cursor} failed: the export answered 500", history, StringComparison.Ordinal);
        Assert.Contains("database on fire", history, StringComparison.Ordinal);
        Assert.Equal(Cursor, await CursorAsync());
        gateway.Services.GetRequiredService<IBackgroundJobClient>().Delete(jobId);
    }

    [Theory]
    [InlineData("not-json", "is not JSON")]
    [InlineData("wrong-shape", "without a \"records\" array")]
    [InlineData("slow", "did not answer within 2 s")]
    [InlineData("down", "could not be reached")]
    public async Task Garbage_a_slow_or_a_dropped_export_fails_the_pull_and_leaves_the_cursor(string failure, string reason)
    {
        gateway.Export.Failure = failure switch
        {
            "not-json" => context => context.Response.WriteAsync("<html>maintenance</html>"),
            "wrong-shape" => context => context.Response.WriteAsync("[{\"format\":\"housing-case/v1\"}]"),
            "down" => context =>
            {
                context.Abort();
                return Task.CompletedTask;
            },
            _ => context => Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted),
        };
        var job = gateway.Services.GetRequiredService<PullPartnerRecordsJob>();

        var thrown = await Assert.ThrowsAsync<PartnerPullException>(() => job.RunAsync(TestPartners.Housing, CancellationToken.None));

        Assert.Contains($"Pull of {TestPartners.Housing} from {gateway.Export.Url}?since={Cursor}", thrown.Message, StringComparison.Ordinal);
        Assert.Contains(reason, thrown.Message, StringComparison.Ordinal);
        Assert.Equal(Cursor, await CursorAsync());
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_fails_the_pull()
    {
        // Issue 17 item 12: the pull followed a 302 to any address.
        await using var elsewhere = new NotificationReceiver();
        await elsewhere.StartAsync();
        gateway.Export.Failure = context =>
        {
            context.Response.Redirect(elsewhere.Url("export").ToString());
            return Task.CompletedTask;
        };
        var job = gateway.Services.GetRequiredService<PullPartnerRecordsJob>();

        var thrown = await Assert.ThrowsAsync<PartnerPullException>(() => job.RunAsync(TestPartners.Housing, CancellationToken.None));

        Assert.Contains("answered 302", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("redirects are not followed", thrown.Message, StringComparison.Ordinal);
        Assert.Empty(elsewhere.Requests);
        Assert.Equal(Cursor, await CursorAsync());
    }

    private async Task<string?> CursorAsync()
    {
        await using var command = gateway.Database.CreateCommand($"select cursor from partner_sync_cursor where partner_id = '{TestPartners.Housing}'");
        return await command.ExecuteScalarAsync() as string;
    }
}
