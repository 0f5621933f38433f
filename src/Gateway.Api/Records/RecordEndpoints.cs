using Gateway.Api.Access;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.Api.Records;

/// <summary>The partner record API (SPEC §6): nothing but routes.</summary>
public static class RecordEndpoints
{
    /// <summary>A wor-export file may be large; it is read as it streams, never held whole.</summary>
    public const long MaxBatchBytes = 512L * 1024 * 1024;

    public static RouteGroupBuilder MapRecords(this IEndpointRouteBuilder app)
    {
        var records = app.MapGroup("/records").WithTags("Partner records")
            .RequireAuthorization().AddEndpointFilter(RecordAccess.Check).RequireRateLimiting(ClientRateLimiting.Policy);

        records.MapPost("", PostRecord.Handle).WithName("post-record");
        records.MapPost("/batch", PostRecordBatch.Handle).WithName("post-record-batch").WithMetadata(new RequestSizeLimitAttribute(MaxBatchBytes)).DisableAntiforgery();
        records.MapGet("/referrals", ReferralFeed.Handle).WithName("referral-feed");
        records.MapGet("/{id}", GetRecord.Handle).WithName("get-record");
        records.MapPost("/{id}/replay", ReplayRecord.Handle).WithName("replay-record");
        return records;
    }
}
