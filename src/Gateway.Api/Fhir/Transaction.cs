using Gateway.Api.Smart;
using Gateway.Fhir.Bundles;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Search;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace Gateway.Api.Fhir;

/// <summary>
/// transaction and batch (FHIR R4 http.html#transaction): POST /fhir with a Bundle. The answer is
/// a transaction-response or batch-response Bundle, or, for a failed transaction, the failing
/// entry's status with an OperationOutcome naming that entry.
/// </summary>
public static class Transaction
{
    public static async Task<IResult> Handle(HttpRequest request, TransactionProcessor processor, IOptions<FhirOptions> options, CancellationToken ct)
    {
        var body = await FhirRequestBody.ReadBytesAsync(request, ct);
        var parsed = FhirRequestBody.Parse(body);
        if (!parsed.Succeeded)
        {
            throw FhirRequestBody.Refusal(UnparsedEntryLabels.Name(parsed.Issues, body.Bytes, body.IsXml));
        }

        if (parsed.Resource is not Bundle bundle)
        {
            throw new InvalidResourceException([FhirException.Issue(OperationOutcome.IssueType.Invalid,
                $"POST /fhir takes a transaction or batch Bundle; the body is a {parsed.Resource!.TypeName}.", parsed.Resource.TypeName)]);
        }

        var limit = options.Value.MaxBundleEntries;
        if (bundle.Entry.Count > limit)
        {
            throw new FhirException(StatusCodes.Status413PayloadTooLarge, OperationOutcome.IssueType.TooLong,
                $"The bundle has {bundle.Entry.Count} entries; this server takes at most {limit} in one transaction or batch.", "Bundle.entry");
        }

        var caller = request.HttpContext.RequiredCaller();
        BundleScopes.Check(bundle, caller.Scopes);
        var search = new SearchSettings(FhirRequest.BaseUrl(request), options.Value.DefaultPageSize, options.Value.MaxPageSize, options.Value.MaxSortKeys);
        var answer = await processor.ProcessAsync(bundle, Preference(request), caller, search, ct);
        return FhirResult.Of(answer.Bundle, answer.Json);
    }

    private static ReturnPreference Preference(HttpRequest request)
    {
        var prefer = request.Headers["Prefer"].ToString();
        return prefer.Contains("return=minimal", StringComparison.OrdinalIgnoreCase) ? ReturnPreference.Minimal
            : prefer.Contains("return=OperationOutcome", StringComparison.OrdinalIgnoreCase) ? ReturnPreference.OperationOutcome
            : ReturnPreference.Representation;
    }
}
