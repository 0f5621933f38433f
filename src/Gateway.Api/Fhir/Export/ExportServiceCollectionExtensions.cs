using Gateway.Fhir.Export;
using Gateway.Jobs.Export;

namespace Gateway.Api.Fhir.Export;

public static class ExportServiceCollectionExtensions
{
    /// <summary>Bulk Data $export: its settings (<c>Gateway:Export</c>), its rows and its two jobs.</summary>
    public static IServiceCollection AddGatewayExport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(ExportOptions.From(configuration));
        services.AddSingleton<ExportJobs>();
        services.AddTransient<BulkExportJob>();
        services.AddTransient<ExportCleanupJob>();
        return services;
    }
}
