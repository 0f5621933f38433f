using Hl7.Fhir.Model;

namespace Gateway.Fhir.Errors;

/// <summary>FHIR R4 http.html#read: a deleted resource answers 410 Gone, not 404.</summary>
public sealed class ResourceGoneException(string resourceType, string id, int deletedVersion, DateTimeOffset deletedAt)
    : FhirException(410, OperationOutcome.IssueType.Deleted, $"{resourceType}/{id} was deleted (version {deletedVersion}).")
{
    public int DeletedVersion { get; } = deletedVersion;

    public DateTimeOffset DeletedAt { get; } = deletedAt;
}
