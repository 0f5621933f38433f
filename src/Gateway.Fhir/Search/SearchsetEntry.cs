using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Search;

/// <summary>One entry of a searchset: a stored match or include (kept as the store holds it), or the outcome.</summary>
public sealed record SearchsetEntry(string? FullUrl, StoredResource? Stored, OperationOutcome? Outcome, Bundle.SearchEntryMode Mode)
{
    public static SearchsetEntry Of(string baseUrl, StoredResource stored, Bundle.SearchEntryMode mode) =>
        new($"{baseUrl}/{stored.ResourceType}/{stored.Id}", stored, null, mode);

    public Bundle.EntryComponent ToComponent() => new()
    {
        FullUrl = FullUrl,
        Resource = Stored?.Resource ?? Outcome,
        Search = new Bundle.SearchComponent { Mode = Mode },
    };
}
