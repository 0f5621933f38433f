using System.Net.Http;
using Microsoft.OpenApi;

namespace Gateway.Api.OpenApi;

/// <summary>The health probes in the document: they are health-check endpoints, which the API explorer does not list, so they are written here.</summary>
internal static class HealthPaths
{
    public static void Add(OpenApiDocument document)
    {
        document.Paths ??= [];
        document.Paths["/health/live"] = Probe("Liveness: the process answers.", "Always 200 while the process runs; no checks.");
        document.Paths["/health/ready"] = Probe("Readiness: PostgreSQL and the Hangfire storage answer.", "200 when every check is Healthy, 503 otherwise, each check with its reason.");
    }

    private static OpenApiPathItem Probe(string summary, string description) => new()
    {
        Operations = new Dictionary<HttpMethod, OpenApiOperation>
        {
            [HttpMethod.Get] = new()
            {
                Summary = summary,
                Description = description + " No token needed.",
                Tags = new HashSet<OpenApiTagReference> { new("Health") },
                Responses = new OpenApiResponses
                {
                    ["200"] = Report("Healthy: {\"status\":\"Healthy\",\"checks\":{\"postgresql\":{\"status\":…,\"description\":…},…}}"),
                    ["503"] = Report("Unhealthy, with the checks that failed and why."),
                },
            },
        },
    };

    private static OpenApiResponse Report(string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object } } },
    };
}
