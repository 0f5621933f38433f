using Gateway.Fhir.Errors;
using Gateway.Fhir.Search;
using Gateway.Fhir.Storage;

namespace Gateway.Api.Fhir;

/// <summary>
/// create and conditional create (FHIR R4 http.html#create, #ccreate). With If-None-Exist, the
/// search and the create run in one transaction under a lock on the criteria, so a referral sent
/// twice at once still makes one resource.
/// </summary>
public static class Create
{
    public static async Task<IResult> Handle(string type, HttpRequest request, ResourceStore store, CancellationToken ct)
    {
        FhirRequest.SupportedType(type);
        var resource = await FhirRequestBody.ReadAsync(request, type, ct);
        var ifNoneExist = request.Headers["If-None-Exist"].ToString();
        var criteria = ifNoneExist.Length == 0 ? null : SearchQuery.Parse(type, ifNoneExist);

        var (stored, created) = await store.WriteAsync(async writer =>
        {
            if (criteria is not null)
            {
                await writer.LockAsync(criteria.CanonicalKey, ct);
                var matches = await writer.FindIdsAsync(criteria, limit: 2, ct);
                if (matches.Count > 1)
                {
                    throw new PreconditionFailedException($"If-None-Exist '{ifNoneExist}' matches more than one {type}; nothing was created.");
                }

                // ccreate: one match means the server ignores the post and answers 200 with the match.
                if (matches.Count == 1)
                {
                    return ((await writer.ReadCurrentAsync(type, matches[0], ct))!, false);
                }
            }

            return (await writer.CreateAsync(resource, ct), true);
        }, ct);

        return FhirResult.Resource(stored, created ? StatusCodes.Status201Created : StatusCodes.Status200OK)
            .WithLocation(FhirRequest.VersionUrl(request, type, stored.Id, stored.Version))
            .HonouringPrefer();
    }
}
