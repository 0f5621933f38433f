using Gateway.Api.Smart;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Search;
using Gateway.Fhir.Storage;
using Gateway.Fhir.Validation.Profiles;
using Hl7.Fhir.Model;

namespace Gateway.Api.Fhir;

/// <summary>update, update as create, and conditional update (FHIR R4 http.html#update, #cond-update).</summary>
public static class Update
{
    public static async Task<IResult> Handle(string type, string id, HttpRequest request, ResourceStore store, ProfileValidator validator, CancellationToken ct)
    {
        FhirRequest.WritableType(type);
        FhirRequest.ValidId(id);
        var resource = await FhirRequestBody.ReadAsync(request, type, ct);
        if (resource.Id is null)
        {
            throw Invalid($"The {type} in the body has no id; an update must carry the id of the URL ({id}).", $"{type}.id");
        }

        if (resource.Id != id)
        {
            throw Invalid($"The id in the body ({resource.Id}) is not the id in the URL ({id}).", $"{type}.id");
        }

        validator.EnsureValid(resource);
        var ifMatch = FhirRequest.IfMatchVersion(request);
        var (stored, created) = await store.WriteAsync(writer => writer.UpdateAsync(resource, ifMatch, ct), ct, request.HttpContext.Caller());
        return Respond(request, stored, created);
    }

    /// <summary>
    /// PUT [type]?criteria: no match creates (under the body's id if it has one), one match is
    /// updated, several are 412; the search and the write share one transaction and a lock.
    /// </summary>
    public static async Task<IResult> HandleConditional(string type, HttpRequest request, ResourceStore store, ProfileValidator validator, CancellationToken ct)
    {
        FhirRequest.WritableType(type);
        if (request.Query.Count == 0)
        {
            throw new NotSupportedByServerException(StatusCodes.Status405MethodNotAllowed,
                $"PUT on the {type} type needs search criteria (conditional update) or an id in the URL.");
        }

        var criteria = SearchQuery.Parse(type, request.Query.SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v ?? ""))));
        var resource = await FhirRequestBody.ReadAsync(request, type, ct);
        validator.EnsureValid(resource);
        var ifMatch = FhirRequest.IfMatchVersion(request);
        var (stored, created) = await store.WriteAsync(writer => writer.ConditionalUpdateAsync(resource, criteria, ifMatch, ct), ct, request.HttpContext.Caller());
        return Respond(request, stored, created);
    }

    private static FhirResult Respond(HttpRequest request, StoredResource stored, bool created)
    {
        var result = FhirResult.Resource(stored, created ? StatusCodes.Status201Created : StatusCodes.Status200OK).HonouringPrefer();
        return created ? result.WithLocation(FhirRequest.VersionUrl(request, stored.ResourceType, stored.Id, stored.Version)) : result;
    }

    private static InvalidResourceException Invalid(string diagnostics, string expression) =>
        new([FhirException.Issue(OperationOutcome.IssueType.Invalid, diagnostics, expression)]);
}
