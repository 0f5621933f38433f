using Gateway.Api.Access;

namespace Gateway.Api.Fhir.Export;

/// <summary>The Bulk Data $export routes (docs/guide-evaluators.md), beside the /fhir route table.</summary>
public static class ExportEndpoints
{
    public static RouteGroupBuilder MapBulkExport(this IEndpointRouteBuilder app)
    {
        // Answers are JSON whatever Accept says (a file download may accept application/fhir+ndjson only).
        var fhir = app.MapGroup("/fhir").WithTags("Bulk Data").RequireAuthorization().RequireRateLimiting(ClientRateLimiting.Policy)
            .AddEndpointFilter((context, next) =>
            {
                context.HttpContext.Items[nameof(FhirFormat)] = FhirFormat.Json;
                return next(context);
            });
        fhir.MapGet("/$export", ExportKickOff.HandleSystem).WithName("export").WithMetadata(Gateway.Fhir.Conformance.SupportedOperation.Export);
        fhir.MapGet("/Group/{id}/$export", ExportKickOff.HandleGroup).WithName("group-export").WithMetadata(Gateway.Fhir.Conformance.SupportedOperation.GroupExport);
        fhir.MapGet("/_operations/export/{id:guid}", ExportStatus.Handle).WithName("export-status");
        fhir.MapDelete("/_operations/export/{id:guid}", ExportStatus.Cancel).WithName("export-cancel");
        fhir.MapGet("/_operations/export/{id:guid}/files/{file:int}", ExportDownload.Handle).WithName("export-file");
        return fhir;
    }
}
