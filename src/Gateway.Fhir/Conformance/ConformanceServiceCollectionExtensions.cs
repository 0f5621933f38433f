using Gateway.Fhir.Validation.Profiles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fhir.Conformance;

public static class ConformanceServiceCollectionExtensions
{
    public const string FolderKey = "Gateway:ProfilesFolder";

    /// <summary>
    /// Loads the implementation guide from <c>Gateway:ProfilesFolder</c> (default: profiles/ beside
    /// the binaries) while the services are registered, so a broken guide fails the start naming its
    /// files; registers the validator built from it and the start-up step that stores the guide's
    /// resources for read and search (docs/adr/0004).
    /// </summary>
    public static IServiceCollection AddGatewayProfiles(this IServiceCollection services, IConfiguration configuration)
    {
        var folder = configuration[FolderKey] ?? Path.Combine(AppContext.BaseDirectory, "profiles");
        var resources = ConformanceFolder.Load(folder);
        services.AddSingleton(resources);
        services.AddSingleton(new ProfileValidator(resources));
        services.AddHostedService<ConformanceSeeding>();
        return services;
    }
}
