using Gateway.Jobs;
using Gateway.Jobs.Retention;
using Gateway.Jobs.Sla;
using Hangfire;
using Hangfire.PostgreSql;
using Npgsql;

namespace Gateway.Api.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Hangfire on the gateway's PostgreSQL (schema <c>hangfire</c>, created at start). Every role
    /// may enqueue; only a process whose <c>Gateway:Role</c> runs jobs starts a Hangfire server and
    /// registers the recurring schedules.
    /// </summary>
    public static IServiceCollection AddGatewayJobs(this IServiceCollection services, IConfiguration configuration, GatewayRole role)
    {
        var options = configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        services.AddSingleton(options);
        services.AddTransient<SlaCheckJob>();
        services.AddTransient<RetentionJob>();
        services.AddHangfire((provider, hangfire) => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                storage => storage.UseConnectionFactory(new DataSourceConnectionFactory(provider.GetRequiredService<NpgsqlDataSource>())),
                new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true, QueuePollInterval = options.PollInterval }));
        if (role.RunsJobs())
        {
            services.AddHangfireServer(server =>
            {
                server.WorkerCount = options.WorkerCount;
                server.SchedulePollingInterval = options.PollInterval;
                server.ServerName = $"gateway-{Environment.MachineName}-{Environment.ProcessId}";
            });
            services.AddHostedService<RecurringJobsRegistration>();
        }

        return services;
    }

    private sealed class RecurringJobsRegistration(IRecurringJobManager jobs, JobsOptions options) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            RecurringJobs.Register(jobs, options);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
