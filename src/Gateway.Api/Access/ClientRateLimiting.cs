using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Gateway.Api.Fhir;
using Gateway.Api.Smart;
using Gateway.Fhir.Errors;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.RateLimiting;

namespace Gateway.Api.Access;

/// <summary>Requests per client (by client id, or by address before a token), section <c>Gateway:RateLimit</c>.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Gateway:RateLimit";

    [Range(1, 1_000_000)]
    public int PermitsPerWindow { get; set; } = 600;

    [Range(1, 3600)]
    public int WindowSeconds { get; set; } = 10;
}

/// <summary>
/// ASP.NET's rate limiter with one token bucket per API client, so one partner's burst cannot
/// starve the others; a refused request gets 429 with Retry-After and an OperationOutcome.
/// </summary>
public static class ClientRateLimiting
{
    public const string Policy = "per-client";

    public static IServiceCollection AddGatewayRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Policy, context => RateLimitPartition.GetTokenBucketLimiter(
                context.Caller()?.ClientId ?? "address:" + context.Connection.RemoteIpAddress,
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.PermitsPerWindow,
                    TokensPerPeriod = options.PermitsPerWindow,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(options.WindowSeconds),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            limiter.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                http.Items[nameof(FhirFormat)] = FhirFormat.Json;
                await FhirResult.Outcome(StatusCodes.Status429TooManyRequests, [FhirException.Issue(OperationOutcome.IssueType.Throttled,
                    $"Too many requests from this client: at most {options.PermitsPerWindow} per {options.WindowSeconds} seconds. Retry after the Retry-After header's seconds.")])
                    .ExecuteAsync(http);
            };
        });
        return services;
    }
}
