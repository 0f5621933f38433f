using Gateway.Api.Smart;
using Gateway.Fhir.Storage;

namespace Gateway.Api.Fhir;

/// <summary>
/// delete (FHIR R4 http.html#delete): soft, history keeps every version. 204 whether or not there
/// was anything to delete, as the spec allows and the Microsoft FHIR server does.
/// </summary>
public static class Delete
{
    public static async Task<IResult> Handle(string type, string id, HttpRequest request, ResourceStore store, CancellationToken ct)
    {
        FhirRequest.WritableType(type);
        FhirRequest.ValidId(id);
        var ifMatch = FhirRequest.IfMatchVersion(request);
        var deleted = await store.WriteAsync(writer => writer.DeleteAsync(type, id, ifMatch, ct), ct, request.HttpContext.Caller());
        var result = FhirResult.NoContent();
        return deleted is null ? result : result.WithVersionHeaders(deleted);
    }
}
