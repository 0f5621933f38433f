using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Gateway.Api.OpenApi;

/// <summary>
/// The OpenAPI document of the non-FHIR endpoints (<c>/openapi/v1.json</c>: records, token, health)
/// and a browsable reference at <c>/openapi</c> (Scalar, its script served by the gateway itself, no
/// CDN and no web fonts, so it works offline). <c>/fhir</c> is left out: the CapabilityStatement describes it.
/// </summary>
public static class ApiDocument
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/{documentName}.json";
    public const string ReferencePath = "/openapi";
    private const string Bearer = "bearer";

    private const string Description = """
        The partner record API, the SMART backend-services token endpoint and the health probes of the Interop Gateway.

        The FHIR R4 API at `/fhir` is not described here: its CapabilityStatement (`GET /fhir/metadata`) says what it does,
        and `/fhir/.well-known/smart-configuration` where to get a token.

        Every `/records` call needs a bearer token carrying `gateway/records.write`: sign a client assertion with your client's
        key and trade it at `POST /auth/token` (or `dotnet run --project src/Gateway.Cli -- token --client <id> --keys <private JWKS>`).
        Errors of the record API are FHIR OperationOutcomes; errors of the token endpoint are OAuth errors.
        """;

    public static IServiceCollection AddGatewayOpenApi(this IServiceCollection services) => services.AddOpenApi(DocumentName, options =>
    {
        options.ShouldInclude = description => description.RelativePath is { } path
            && (path.StartsWith("records", StringComparison.Ordinal) || path.StartsWith("auth/", StringComparison.Ordinal));
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo { Title = "Interop Gateway: records, token, health", Version = DocumentName, Description = Description };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = Bearer,
                BearerFormat = "JWT",
                Description = "An access token from POST /auth/token (SMART backend services).",
            };
            HealthPaths.Add(document);
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            if (context.Description.RelativePath?.StartsWith("records", StringComparison.Ordinal) == true)
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] });
            }

            return Task.CompletedTask;
        });
    });

    /// <summary>
    /// Documents the request body as <typeparamref name="T"/> in each content type. Not <c>Accepts</c>:
    /// that metadata also makes routing refuse other content types with 415, and these handlers
    /// read the body themselves and answer a wrong one in their own words.
    /// </summary>
    public static Func<OpenApiOperation, OpenApiOperationTransformerContext, CancellationToken, Task> Body<T>(params string[] contentTypes) =>
        async (operation, context, ct) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, ct);
            var body = new OpenApiRequestBody { Required = true, Content = new Dictionary<string, OpenApiMediaType>() };
            foreach (var contentType in contentTypes)
            {
                body.Content[contentType] = new OpenApiMediaType { Schema = schema };
            }

            operation.RequestBody = body;
        };

    /// <summary>A batch: a wor-export/v1 CSV file, or a JSON array of records.</summary>
    public static async Task BatchBody(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        await Body<PartnerRecord[]>("application/json")(operation, context, ct);
        operation.RequestBody!.Content!["text/csv"] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A wor-export/v1 file: ';'-separated, a header row, UTF-8 (../shared/samples/wor-export/README.md)." },
        };
    }

    public static IEndpointRouteBuilder MapGatewayOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentPath).AllowAnonymous();
        app.MapScalarApiReference(ReferencePath, options => options
            .WithTitle("Interop Gateway API reference")
            .WithOpenApiRoutePattern(DocumentPath)
            .DisableDefaultFonts()
            // Issue 21, item 10: "Ask AI" would send the API's description to Scalar's service, and the developer
            // toolbar's Generate SDK, Deploy and Share point at Scalar's hosted offerings; none belongs on a clinical gateway.
            .DisableAgent()
            .DisableMcp()
            .HideDeveloperTools()).AllowAnonymous();
        return app;
    }
}
