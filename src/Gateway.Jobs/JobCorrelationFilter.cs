using System.Diagnostics;
using Gateway.Fhir.Telemetry;
using Hangfire.Server;
using Microsoft.Extensions.Logging;

namespace Gateway.Jobs;

/// <summary>
/// A Hangfire server filter: every job runs inside a log scope with its job id and, for a recurring
/// job, its recurring id, and inside a <c>job {type}.{method}</c> span of the <c>Gateway</c>
/// ActivitySource, so what a job logs and queries can be told apart from other work.
/// </summary>
public sealed class JobCorrelationFilter(ILoggerFactory loggers) : IServerFilter
{
    public const string JobIdKey = "JobId";
    public const string RecurringJobIdKey = "RecurringJobId";
    private const string ScopeItem = "gateway.log-scope";
    private const string ActivityItem = "gateway.activity";

    private readonly ILogger _logger = loggers.CreateLogger<JobCorrelationFilter>();

    public void OnPerforming(PerformingContext context)
    {
        var jobId = context.BackgroundJob.Id;
        var recurringId = context.GetJobParameter<string>(RecurringJobIdKey, allowStale: true);
        var job = context.BackgroundJob.Job;
        var activity = GatewayTelemetry.Source.StartActivity($"job {job?.Type.Name}.{job?.Method.Name}");
        activity?.SetTag("hangfire.job.id", jobId);
        activity?.SetTag("hangfire.recurring_job.id", recurringId);
        context.Items[ActivityItem] = activity;
        var scope = new Dictionary<string, object> { [JobIdKey] = jobId };
        if (recurringId is not null)
        {
            scope[RecurringJobIdKey] = recurringId;
        }

        context.Items[ScopeItem] = _logger.BeginScope(scope);
    }

    public void OnPerformed(PerformedContext context)
    {
        if (context.Items.TryGetValue(ActivityItem, out var item) && item is Activity activity)
        {
            if (context.Exception is { } failure)
            {
                activity.SetStatus(ActivityStatusCode.Error, failure.Message);
            }

            activity.Dispose();
        }

        if (context.Items.TryGetValue(ScopeItem, out var scope))
        {
            (scope as IDisposable)?.Dispose();
        }
    }
}
