using Gateway.Fhir.ServiceDirectory;

namespace Gateway.Api.Hosting;

/// <summary>The service directory (SPEC §11): its imports, for the record API and the jobs.</summary>
public static class ServiceDirectoryServiceCollectionExtensions
{
    public static IServiceCollection AddServiceDirectory(this IServiceCollection services)
    {
        services.AddSingleton<DirectoryImport>();
        services.AddSingleton<DirectoryFiles>();
        services.AddSingleton<DirectoryImportLog>();
        return services;
    }
}
