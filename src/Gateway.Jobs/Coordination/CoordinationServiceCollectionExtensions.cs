using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Jobs.Coordination;

public static class CoordinationServiceCollectionExtensions
{
    /// <summary>The gateway as coordination platform towards partners with their own FHIR server (SPEC §7, docs/adr/0009).</summary>
    public static IServiceCollection AddCoordination(this IServiceCollection services)
    {
        services.AddHttpClient(PartnerFhirClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(PartnerRedirects.Handler);
        services.AddSingleton<PartnerFhirClient>();
        services.AddSingleton<CoordinationLinks>();
        services.AddSingleton<GatewayFhirBase>();
        services.AddSingleton<CoordinationSender>();
        services.AddSingleton<PartnerTaskApplier>();
        services.AddTransient<CoordinationSyncJob>();
        return services;
    }
}
