using Gateway.Api.Access;
using Gateway.Api.Browser;
using Gateway.Api.OperatorConsole;
using Gateway.Api.Demo;
using Gateway.Api.Fhir;
using Gateway.Api.Fhir.Export;
using Gateway.Api.Health;
using Gateway.Api.Jobs;
using Gateway.Api.Observability;
using Gateway.Api.OpenApi;
using Gateway.Api.Records;
using Gateway.Api.Smart;
using Gateway.Fhir.Conformance;
using Gateway.Fhir.Measures;
using Gateway.Fhir.Storage;
using Gateway.Jobs;
using Hangfire;

namespace Gateway.Api.Hosting;

/// <summary>Builds the gateway's web application; Program.cs and the test host both start it through here.</summary>
public static class GatewayHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        builder.Services.AddGatewayStorage(builder.Configuration, builder.Environment);
        builder.Services.AddGatewaySmart(builder.Configuration, builder.Environment);
        builder.Services.AddGatewayFhirEndpoint(builder.Configuration);
        builder.Services.AddGatewayRateLimiting(builder.Configuration);
        builder.Services.AddGatewayProfiles(builder.Configuration);
        builder.Services.AddGatewayMeasures();
        var role = GatewayRoles.Parse(builder.Configuration[GatewayRoles.Key]);
        builder.Services.AddGatewayJobs(builder.Configuration, role);
        builder.Services.AddGatewayExport(builder.Configuration);
        builder.Services.AddGatewayHealth();
        builder.Services.AddGatewayConsole();
        builder.Services.AddGatewayTelemetry(builder.Configuration);
        builder.Services.AddGatewayOpenApi();
        if (builder.Configuration.GetValue<bool>(DemoSeed.SettingKey))
        {
            // Registered last: it starts after the schema migration and the partners file are applied.
            builder.Services.AddHostedService<DemoSeed>();
            builder.Services.AddHostedService<DemoDirectory>();
        }

        var app = builder.Build();
        app.UseRequestCorrelation();
        // Outermost, so the audit record has the status the client finally got.
        app.Use(AuditMiddleware.Record);
        app.Use(BrowserView.Render);
        app.UseExceptionHandler();
        app.UseStatusCodePages(FhirStatusCodePages.Write);
        app.Use(ControlCharacterPaths.Refuse);
        app.UseAuthentication();
        app.Use(CallerResolution.Resolve);
        app.UseRateLimiter();
        app.UseAuthorization();
        if (role.ServesApi())
        {
            app.MapSmart();
            app.MapFhir();
            app.MapBulkExport();
            app.MapRecords();
            app.MapConsole();
        }

        app.MapGatewayHealth();
        app.MapGatewayOpenApi();
        app.MapLandingPage();
        SandboxBanner.PrintWhenStarted(app);

        // The dashboard is served by every role: an operator looks at the jobs wherever they run.
        app.UseHangfireDashboard("/jobs", new DashboardOptions
        {
            Authorization = [new JobsDashboardAccess(app.Services.GetRequiredService<Gateway.Fhir.Partners.PartnerDirectory>())],
            DisplayStorageConnectionString = false,
            DashboardTitle = "Interop Gateway jobs",
        });
        return app;
    }
}
