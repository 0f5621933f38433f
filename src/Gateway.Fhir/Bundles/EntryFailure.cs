using Gateway.Fhir.Errors;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Bundles;

/// <summary>
/// Names the entry a failure belongs to: diagnostics start with "entry 3 (POST ServiceRequest): "
/// and expressions become FHIRPaths from the Bundle, e.g. <c>Bundle.entry[3].resource.status</c>.
/// Entries count from 0, as FHIRPath indexes do.
/// </summary>
internal static class EntryFailure
{
    public static string Label(int index, string? method, string? url) =>
        method is null ? $"entry {index}" : $"entry {index} ({method} {url})";

    public static string Label(Bundle.EntryComponent entry, int index) =>
        Label(index, entry.Request?.Method?.ToString(), entry.Request?.Url);

    /// <summary>
    /// <paramref name="failure"/>'s expressions are relative to the entry (<c>request.url</c>),
    /// to its resource (<c>ServiceRequest.status</c>), or name no element of it.
    /// </summary>
    public static FhirException Name(FhirException failure, Bundle.EntryComponent entry, int index)
    {
        var label = Label(entry, index);
        var issues = failure.Issues.Select(issue => new OperationOutcome.IssueComponent
        {
            Severity = issue.Severity,
            Code = issue.Code,
            Diagnostics = $"{label}: {issue.Diagnostics}",
            Expression = [Locate(issue.Expression.FirstOrDefault(), index, entry.Resource?.TypeName)],
        }).ToList();
        return new FhirException(failure.StatusCode, issues);
    }

    private static string Locate(string? expression, int index, string? resourceType)
    {
        var entry = $"Bundle.entry[{index}]";
        if (expression is null)
        {
            return entry;
        }

        if (IsElementOf(expression, "request") || IsElementOf(expression, "resource") || IsElementOf(expression, "fullUrl"))
        {
            return $"{entry}.{expression}";
        }

        return resourceType is not null && IsElementOf(expression, resourceType)
            ? $"{entry}.resource{expression[resourceType.Length..]}"
            : entry;
    }

    private static bool IsElementOf(string expression, string root) =>
        expression == root || (expression.StartsWith(root, StringComparison.Ordinal) && expression[root.Length] is '.' or '[');
}
