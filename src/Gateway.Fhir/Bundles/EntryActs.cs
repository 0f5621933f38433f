using Gateway.Fhir.Access;
using Gateway.Fhir.Search;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Bundles;

/// <summary>
/// Decides and then performs the act of one entry with the store's own write acts, so an entry of
/// a bundle behaves as the same interaction sent on its own (FHIR R4 http.html#transaction).
/// </summary>
internal static class EntryActs
{
    public static async Task<EntryAct> DecideAsync(ResourceWriter writer, BundleEntryRequest request, CancellationToken ct)
    {
        var type = request.ResourceType;
        switch (request.Method)
        {
            case Bundle.HTTPVerb.POST:
                return await writer.CreateMatchAsync(request.Resource!, request.IfNoneExist, ct) is { } existing
                    ? new EntryAct(EntryActKind.Existing, type, existing)
                    : new EntryAct(EntryActKind.Create, type, ResourceWriter.NewId());
            case Bundle.HTTPVerb.PUT when request.Criteria is { } criteria:
                return await writer.ConditionalUpdateTargetAsync(request.Resource!, criteria, ct) is { } target
                    ? new EntryAct(EntryActKind.Update, type, target)
                    : new EntryAct(EntryActKind.Create, type, ResourceWriter.NewId());
            case Bundle.HTTPVerb.PUT:
                return new EntryAct(EntryActKind.Update, type, request.Id!);
            case Bundle.HTTPVerb.DELETE:
                return new EntryAct(EntryActKind.Delete, type, request.Id!);
            case Bundle.HTTPVerb.GET when request.SearchParameters is not null:
                return new EntryAct(EntryActKind.Search, type, "");
            default:
                return new EntryAct(EntryActKind.Read, type, request.Id!, request.Version);
        }
    }

    public static async Task<EntryResult> ExecuteAsync(ResourceWriter writer, BundleEntryRequest request, EntryAct act, SearchSettings search, CancellationToken ct)
    {
        switch (act.Kind)
        {
            case EntryActKind.Search:
                var parameters = request.SearchParameters!;
                DataMinimisation.CheckSearch(writer.Caller, parameters);
                var parsed = SearchRequestParser.Parse(act.ResourceType, parameters, lenient: true, search.DefaultCount, search.MaxCount, search.MaxSortKeys);
                var result = await writer.SearchAsync(parsed, search.BaseUrl, ct);
                return new EntryResult(200, null, IsCreateOrUpdate: false, SearchsetBundle.Build(search.BaseUrl, act.ResourceType, parameters, parsed, result, writer.Now));
            case EntryActKind.Create:
                return new EntryResult(201, await writer.CreateAsync(request.Resource!, act.Id, ct), IsCreateOrUpdate: true);
            case EntryActKind.Existing:
                // Matched under the caller's visibility, or the same person's Patient (PatientMatching).
                return new EntryResult(200, await writer.ReadCurrentAsync(act.ResourceType, act.Id, ct)
                    ?? throw new InvalidOperationException($"{act.Reference} matched, but has no current version."), IsCreateOrUpdate: true);
            case EntryActKind.Update:
                request.Resource!.Id = act.Id;
                var (stored, created) = await writer.UpdateAsync(request.Resource, request.IfMatch, ct);
                return new EntryResult(created ? 201 : 200, stored, IsCreateOrUpdate: true);
            case EntryActKind.Delete:
                // 204 whether or not there was anything to delete, as the single delete answers.
                return new EntryResult(204, await writer.DeleteAsync(act.ResourceType, act.Id, request.IfMatch, ct), IsCreateOrUpdate: false);
            default:
                return new EntryResult(200, await writer.ReadAsync(act.ResourceType, act.Id, act.Version, ct), IsCreateOrUpdate: false);
        }
    }
}
