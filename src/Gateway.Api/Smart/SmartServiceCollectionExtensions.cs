using Gateway.Fhir.Partners;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Api.Smart;

public static class SmartServiceCollectionExtensions
{
    /// <summary>
    /// The partners file, the built-in SMART backend-services authorization server, and bearer
    /// token validation on the APIs (or an external OpenID Connect issuer, Gateway:Auth:Authority).
    /// </summary>
    public static IServiceCollection AddGatewaySmart(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var path = configuration["Gateway:PartnersFile"]
            ?? throw new PartnersFileException("Gateway:PartnersFile is not set: the gateway needs a partners file (see ../shared/samples/partners.json for its shape).");
        var partners = new PartnerDirectory(PartnersFileLoader.Load(Path.Combine(environment.ContentRootPath, path)));
        services.AddSingleton(partners);
        services.AddHostedService<PartnersApplication>();

        services.AddMemoryCache();
        services.AddHttpClient(nameof(ClientKeys)).ConfigurePrimaryHttpMessageHandler(Gateway.Jobs.PartnerRedirects.Handler);
        services.AddSingleton<ClientKeys>();
        services.AddSingleton<ClientAssertionValidator>();
        services.AddSingleton<SigningKeys>();
        services.AddHostedService<SigningKeysLoader>();

        var auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<SigningKeys>((jwt, keys) =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenHandlers.Clear();
            jwt.TokenHandlers.Add(new ValidatedTokenCache { MapInboundClaims = false });
            jwt.Events = BearerFailure.Events(auth.Audience);
            if (auth.Authority is not null)
            {
                jwt.Authority = auth.Authority;
                jwt.Audience = auth.Audience;
                return;
            }

            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = auth.Issuer,
                ValidAudience = auth.Audience,
                IssuerSigningKeyResolver = (_, _, _, _) => keys.Validating,
                ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
                ClockSkew = TimeSpan.FromSeconds(30),
            };
        });
        services.AddAuthorization();
        return services;
    }

    private sealed class SigningKeysLoader(SigningKeys keys) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => keys.LoadAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
