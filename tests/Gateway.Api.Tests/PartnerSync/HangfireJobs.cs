using System.Diagnostics;
using Gateway.Testing;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Api.Tests.PartnerSync;

/// <summary>Runs a gateway's recurring job now, through Hangfire, and waits for what became of it.</summary>
internal static class HangfireJobs
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Triggers the recurring job (failing the test when it is not registered) and returns the background job's id.</summary>
    public static string Trigger(GatewayApp gateway, string recurringId)
    {
        var manager = (IRecurringJobManagerV2)gateway.Services.GetRequiredService<IRecurringJobManager>();
        using (var connection = manager.Storage.GetConnection())
        {
            Assert.Contains(recurringId, connection.GetRecurringJobs().Select(j => j.Id));
        }

        var jobId = manager.TriggerJob(recurringId);
        Assert.False(string.IsNullOrEmpty(jobId), $"Triggering {recurringId} made no job.");
        return jobId!;
    }

    /// <summary>Triggers the recurring job and waits until it has succeeded; fails with the job's exception otherwise.</summary>
    public static async Task RunAsync(GatewayApp gateway, string recurringId)
    {
        var jobId = Trigger(gateway, recurringId);
        var state = await WaitForStateAsync(gateway, jobId, "Succeeded", "Failed", "Scheduled");
        Assert.True(state.Name == "Succeeded", $"{recurringId} ended {state.Name}: {string.Join("; ", History(gateway, jobId))}");
    }

    /// <summary>Polls the job's state until it is one of <paramref name="states"/>.</summary>
    public static async Task<StateData> WaitForStateAsync(GatewayApp gateway, string jobId, params string[] states)
    {
        var storage = gateway.Services.GetRequiredService<JobStorage>();
        var waited = Stopwatch.StartNew();
        while (true)
        {
            using (var connection = storage.GetConnection())
            {
                if (connection.GetStateData(jobId) is { } state && states.Contains(state.Name))
                {
                    return state;
                }
            }

            Assert.True(waited.Elapsed < Patience, $"Job {jobId} did not reach {string.Join(" or ", states)}: {string.Join("; ", History(gateway, jobId))}");
            await Task.Delay(100);
        }
    }

    /// <summary>The job's states with their reasons and data (exception messages), newest first, as the dashboard shows them.</summary>
    public static IReadOnlyList<string> History(GatewayApp gateway, string jobId)
    {
        var details = gateway.Services.GetRequiredService<JobStorage>().GetMonitoringApi().JobDetails(jobId);
        return details?.History.Select(h => $"{h.StateName} ({h.Reason}) {string.Join(", ", h.Data.Select(d => $"{d.Key}={d.Value}"))}").ToList() ?? [];
    }
}
