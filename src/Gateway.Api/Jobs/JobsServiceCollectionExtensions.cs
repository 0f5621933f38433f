using Gateway.Fhir.Partners;
using Gateway.Jobs;
using Gateway.Jobs.Coordination;
using Gateway.Jobs.Delivery;
using Gateway.Jobs.PartnerSync;
using Gateway.Jobs.Retention;
using Gateway.Jobs.Sla;
using Hangfire;
using Hangfire.Common;
using Hangfire.AspNetCore;
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
        services.AddSingleton<SyncCursor>();
        services.AddTransient<PullPartnerRecordsJob>();
        services.AddTransient<DropFolderJob>();
        services.AddTransient<PendingRecordsJob>();
        services.AddTransient<Gateway.Jobs.ServiceDirectory.DirectoryPullJob>();
        services.AddTransient<Gateway.Jobs.ServiceDirectory.CapacityReleaseJob>();
        services.AddHttpClient(PullPartnerRecordsJob.HttpClientName).ConfigurePrimaryHttpMessageHandler(PartnerRedirects.Handler);
        // Storage and activator of this host, registered before AddHangfire (which only adds them if
        // missing): Hangfire's defaults are the process-wide JobStorage.Current and JobActivator.Current,
        // so two gateways in one process (the test suite) would run each other's jobs with each other's services.
        services.AddSingleton<JobStorage>(provider => new PostgreSqlStorage(
            new DataSourceConnectionFactory(provider.GetRequiredService<NpgsqlDataSource>()),
            new PostgreSqlStorageOptions
            {
                SchemaName = "hangfire",
                PrepareSchemaIfNecessary = true,
                QueuePollInterval = options.PollInterval,
                InvisibilityTimeout = options.InvisibilityTimeout,
                UseSlidingInvisibilityTimeout = true,
            }));
        services.AddSingleton<JobActivator>(provider => new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        // This host's filters beside Hangfire's process-wide ones (global and attribute filters): a
        // global filter would log into whichever host registered it first.
        services.AddSingleton<IJobFilterProvider>(provider => new JobFilterProviderCollection(
            JobFilterProviders.Providers, new JobFilterCollection { new JobCorrelationFilter(provider.GetRequiredService<ILoggerFactory>()) }));
        services.AddSingleton<OutboxRows>();
        services.AddSingleton<Heartbeats>();
        services.AddSingleton<DeliveryHttp>();
        services.AddSingleton<RestHookSender>();
        services.AddSingleton<ReferralWebhookSender>();
        services.AddSingleton<OutboxDelivery>();
        services.AddCoordination();
        services.AddTransient<SlaCheckJob>();
        services.AddTransient<RetentionJob>();
        services.AddTransient<Gateway.Jobs.Measures.MonthlyMeasureReportsJob>();
        services.AddHangfire((provider, hangfire) => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HangfireLogProvider(provider.GetRequiredService<ILoggerFactory>()))
            .UseStorage(provider.GetRequiredService<JobStorage>()));
        if (role.RunsJobs())
        {
            services.AddHangfireServer(server =>
            {
                server.WorkerCount = options.WorkerCount;
                server.SchedulePollingInterval = options.PollInterval;
                server.ServerName = $"gateway-{Environment.MachineName}-{Environment.ProcessId}";
            });
            services.AddHostedService<RecurringJobsRegistration>();
            services.AddHostedService<OutboxPoller>();
        }

        return services;
    }
}
