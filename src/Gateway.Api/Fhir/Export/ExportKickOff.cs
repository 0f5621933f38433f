using Gateway.Api.Smart;
using Gateway.Fhir.Access;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Export;
using Gateway.Fhir.Partners;
using Gateway.Jobs.Export;
using Hangfire;
using Hl7.Fhir.Model;

namespace Gateway.Api.Fhir.Export;

/// <summary>
/// Bulk Data kick-off (Bulk Data Access IG, export.html): <c>GET /fhir/$export</c> and
/// <c>GET /fhir/Group/{id}/$export</c>, for evaluator clients only. Checks the request, stores the
/// export, queues its job, and answers 202 with the status URL in Content-Location.
/// </summary>
public static class ExportKickOff
{
    public static Task<IResult> HandleSystem(HttpRequest request, ExportJobs exports, IBackgroundJobClient jobs, CancellationToken ct) =>
        KickOffAsync(request, null, exports, jobs, ct);

    public static Task<IResult> HandleGroup(string id, HttpRequest request, PartnerDirectory partners, ExportJobs exports, IBackgroundJobClient jobs, CancellationToken ct)
    {
        // Group/{id} is the patients a referring partner sent (docs/guide-evaluators.md); any other id is not known.
        if (partners.Find(id) is not { } partner || partner.Kind is PartnerKinds.Operator or PartnerKinds.Evaluator || !PartnerKinds.All.Contains(partner.Kind))
        {
            Evaluator(request);
            throw new ResourceNotFoundException($"Group/{id} is not known to this server: a Group is a referring partner's id (an Organization of kind gp-practice, housing-provider or welfare-organisation).");
        }

        return KickOffAsync(request, partner.Id, exports, jobs, ct);
    }

    private static async Task<IResult> KickOffAsync(HttpRequest request, string? groupId, ExportJobs exports, IBackgroundJobClient jobs, CancellationToken ct)
    {
        var caller = Evaluator(request);
        if (!request.Headers["Prefer"].Any(p => (p ?? "").Contains("respond-async", StringComparison.OrdinalIgnoreCase)))
        {
            throw new FhirException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid,
                "$export is asynchronous: send the header Prefer: respond-async, then poll the URL the 202 answer gives in Content-Location.", "Prefer");
        }

        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count > 0 && !accept.Any(a => a.MediaType.Value is "*/*" or "application/*" || FhirFormat.Parse(a.MediaType.Value ?? "") is false))
        {
            throw new NotSupportedByServerException(StatusCodes.Status406NotAcceptable,
                $"Accept '{request.Headers.Accept}': the $export kick-off answers in application/fhir+json only (Bulk Data Access IG).");
        }

        var parameters = ExportParameters.Parse(request.Query, caller);
        var requestUrl = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}";
        var export = await exports.CreateAsync(caller.ClientId, caller.PartnerId, requestUrl, groupId, parameters.Types, parameters.Since, ct);
        jobs.Enqueue<BulkExportJob>(job => job.RunAsync(export.Id, CancellationToken.None));

        request.HttpContext.Response.Headers.ContentLocation = ExportStatus.Url(request, export.Id);
        return FhirResult.Outcome(StatusCodes.Status202Accepted, [new OperationOutcome.IssueComponent
        {
            Severity = OperationOutcome.IssueSeverity.Information,
            Code = OperationOutcome.IssueType.Informational,
            Diagnostics = $"Export {export.Id} of {string.Join(", ", parameters.Types)} is queued; poll the URL in Content-Location.",
        }]);
    }

    // Only evaluators export (SPEC §10); the others are told so, which says nothing about any resource.
    internal static CallingPartner Evaluator(HttpRequest request)
    {
        var caller = request.HttpContext.RequiredCaller();
        return caller.Kind == PartnerKinds.Evaluator ? caller : throw new FhirException(StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Forbidden,
            $"Bulk Data $export is for evaluator clients (partner kind evaluator); {caller.PartnerId} is a {caller.Kind}.");
    }
}
