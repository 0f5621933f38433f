using Gateway.Fhir.Errors;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.WebUtilities;

namespace Gateway.Fhir.Bundles;

/// <summary>The response entries of a transaction-response or batch-response (FHIR R4 http.html#transaction-response).</summary>
internal static class EntryResponse
{
    public static Bundle.EntryComponent Success(EntryResult result, ReturnPreference preference)
    {
        var stored = result.Stored;
        var response = new Bundle.ResponseComponent
        {
            Status = StatusText(result.Status),
            Location = result.IsCreateOrUpdate && stored is not null ? $"{stored.ResourceType}/{stored.Id}/_history/{stored.Version}" : null,
            Etag = stored?.VersionTag,
            LastModified = stored?.LastUpdated,
        };
        var entry = new Bundle.EntryComponent { Resource = stored?.Resource ?? result.Body, Response = response };
        // As with a single create or update, the preference shapes what a write answers; a read always answers the resource.
        if (result.IsCreateOrUpdate && preference != ReturnPreference.Representation)
        {
            entry.Resource = null;
            if (preference == ReturnPreference.OperationOutcome && stored is not null)
            {
                response.Outcome = new OperationOutcome
                {
                    Issue = [new()
                    {
                        Severity = OperationOutcome.IssueSeverity.Information,
                        Code = OperationOutcome.IssueType.Informational,
                        Diagnostics = $"{stored.ResourceType}/{stored.Id} version {stored.Version} {(result.Status == 201 ? "was created" : "was stored")}.",
                    }],
                };
            }
        }

        return entry;
    }

    /// <summary>A failed batch entry: its status and the OperationOutcome that explains it.</summary>
    public static Bundle.EntryComponent Failure(FhirException failure) => new()
    {
        Response = new Bundle.ResponseComponent
        {
            Status = StatusText(failure.StatusCode),
            Outcome = new OperationOutcome { Issue = failure.Issues.ToList() },
        },
    };

    private static string StatusText(int status) => $"{status} {ReasonPhrases.GetReasonPhrase(status)}";
}
