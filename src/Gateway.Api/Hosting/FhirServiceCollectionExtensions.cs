using Microsoft.Extensions.DependencyInjection.Extensions;
using Gateway.Fhir.Records;
using Gateway.Fhir.Workflow;
using Gateway.Api.Fhir;
using Gateway.Fhir.Audit;
using Gateway.Fhir.Search;
using Gateway.Fhir.Bundles;
using Gateway.Fhir.Storage;
using Gateway.Fhir.Subscriptions;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Npgsql;

namespace Gateway.Api.Hosting;

public static class FhirServiceCollectionExtensions
{
    public static IServiceCollection AddGatewayFhirEndpoint(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FhirOptions>().BindConfiguration(FhirOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RecordLimits>().BindConfiguration(RecordLimits.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ReferralWorkflow>();
        services.AddSingleton<NotificationOutbox>();
        services.AddSingleton(new EndpointGuard(configuration.GetValue<bool>(EndpointGuard.AllowPrivateKey)));
        services.AddSingleton<ResourceStore>();
        services.AddSingleton(provider => new SearchEngine(() => provider.GetRequiredService<NpgsqlDataSource>().CreateCommand()));
        services.AddSingleton<TransactionProcessor>();
        services.AddSingleton<BundleResponses>();
        services.AddSingleton<RecordLog>();
        services.AddSingleton<RecordMappers>();
        services.AddSingleton<RecordProcessor>();
        services.AddServiceDirectory();
        services.AddSingleton<OutboundReferrals>();
        services.AddSingleton<AuditTrail>();
        services.AddHostedService<AuditWriter>();
        services.AddExceptionHandler<OperationOutcomeHandler>();
        services.AddProblemDetails();

        var maxBody = configuration.GetSection(FhirOptions.Section).Get<FhirOptions>()?.MaxRequestBodyBytes ?? new FhirOptions().MaxRequestBodyBytes;
        services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = maxBody;
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(Gateway.Api.Access.NulInRequestLine.Middleware));
        });
        return services;
    }
}
