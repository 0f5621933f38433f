using Gateway.Api.Smart;
using Gateway.Fhir.Search;
using Gateway.Fhir.Storage;
using Gateway.Fhir.Validation.Profiles;

namespace Gateway.Api.Fhir;

/// <summary>
/// create and conditional create (FHIR R4 http.html#create, #ccreate). With If-None-Exist, the
/// search and the create run in one transaction under a lock on the criteria, so a referral sent
/// twice at once still makes one resource. A Patient the gateway already knows by NHS number
/// or BSN and birth date is answered as the existing one (200), as if matched by If-None-Exist.
/// </summary>
public static class Create
{
    public static async Task<IResult> Handle(string type, HttpRequest request, ResourceStore store, ProfileValidator validator, CancellationToken ct)
    {
        FhirRequest.WritableType(type);
        var resource = await FhirRequestBody.ReadAsync(request, type, ct);
        validator.EnsureValid(resource);
        var ifNoneExist = request.Headers["If-None-Exist"].ToString();
        NulCharacters.Refuse(SearchQuery.SplitQuery(ifNoneExist), "If-None-Exist");
        var criteria = ifNoneExist.Length == 0 ? null : SearchQuery.Parse(type, ifNoneExist);

        var (stored, created) = await store.WriteAsync(writer => writer.ConditionalCreateAsync(resource, criteria, ct), ct, request.HttpContext.Caller());

        return FhirResult.Resource(stored, created ? StatusCodes.Status201Created : StatusCodes.Status200OK)
            .WithLocation(FhirRequest.VersionUrl(request, type, stored.Id, stored.Version))
            .HonouringPrefer();
    }
}
