using Gateway.Api.Access;
using Gateway.Api.OpenApi;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.Api.Records;

/// <summary>The partner record API (SPEC §6): nothing but routes.</summary>
public static class RecordEndpoints
{
    private const string FhirJson = "application/fhir+json";

    public static RouteGroupBuilder MapRecords(this IEndpointRouteBuilder app)
    {
        var records = app.MapGroup("/records").WithTags("Partner records")
            .RequireAuthorization().AddEndpointFilter(RecordAccess.Check).RequireRateLimiting(ClientRateLimiting.Policy);

        records.MapPost("", PostRecord.Handle).WithName("post-record")
            .WithSummary("Send one JSON record (housing-case/v1, housing-referral/v1)")
            .WithDescription("Stored raw, then applied in one transaction through the referral workflow. 200 with the outcome (accepted, or unchanged for a replay of the same messageId) and what it produced; 422 with an OperationOutcome naming each field (location $.tenant.nhsNumber); the record is kept either way, unless refused before it is stored (a NUL: 400; over Gateway:Records MaxRecordBytes: 413; a field over MaxFieldLength: 422).")
            .AddOpenApiOperationTransformer(ApiDocument.Body<PartnerRecord>("application/json")).Produces<RecordReportShape>().Produces<OperationOutcomeShape>(StatusCodes.Status422UnprocessableEntity, FhirJson)
            .Produces<OperationOutcomeShape>(StatusCodes.Status400BadRequest, FhirJson).Produces<OperationOutcomeShape>(StatusCodes.Status413PayloadTooLarge, FhirJson);
        records.MapPost("/batch", PostRecordBatch.Handle).WithName("post-record-batch").DisableAntiforgery()
            .WithSummary("Send a whole file of records: a wor-export/v1 CSV, or a JSON array of one JSON format")
            .WithDescription("?format= names the format (wor-export/v1 as text/csv with ';' separators; housing-case/v1 or housing-referral/v1 as a JSON array). The answer streams a report per record as it is processed, then a summary. A file whose header is wrong (or has a BSN column) is 422 before any row is stored.")
            .AddOpenApiOperationTransformer(ApiDocument.BatchBody).Produces<BatchReportShape>()
            .Produces<OperationOutcomeShape>(StatusCodes.Status422UnprocessableEntity, FhirJson).Produces<OperationOutcomeShape>(StatusCodes.Status400BadRequest, FhirJson)
            .Produces<OperationOutcomeShape>(StatusCodes.Status413PayloadTooLarge, FhirJson);
        records.MapGet("/referrals", ReferralFeed.Handle).WithName("referral-feed")
            .WithSummary("The referrals addressed to the calling partner, as referral/v1")
            .WithDescription("Oldest first, 100 a page with a next link; ?since= an instant. Without the patient's consent only the numbers, status and due date; a welfare organisation gets the client number, never a BSN.")
            .Produces<ReferralFeedShape>();
        records.MapGet("/{id}", GetRecord.Handle).WithName("get-record")
            .WithSummary("A received record: raw body, state (received, applied, rejected), reasons, what it produced, attempts")
            .Produces<ReceivedRecordShape>().Produces<OperationOutcomeShape>(StatusCodes.Status404NotFound, FhirJson);
        records.MapPost("/{id}/replay", ReplayRecord.Handle).WithName("replay-record")
            .WithSummary("Process a kept record again, e.g. one that arrived before its referral")
            .Produces<RecordReportShape>().Produces<OperationOutcomeShape>(StatusCodes.Status422UnprocessableEntity, FhirJson)
            .Produces<OperationOutcomeShape>(StatusCodes.Status404NotFound, FhirJson);
        return records;
    }
}
