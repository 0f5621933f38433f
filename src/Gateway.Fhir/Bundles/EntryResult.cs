using Gateway.Fhir.Storage;

namespace Gateway.Fhir.Bundles;

/// <summary>
/// The outcome of one entry that succeeded: its HTTP status and what it stored or read (null for a
/// delete of nothing), or for a search entry the searchset <see cref="Body"/>. A create or update
/// answers with a location and as Prefer asks.
/// </summary>
internal sealed record EntryResult(int Status, StoredResource? Stored, bool IsCreateOrUpdate, Hl7.Fhir.Model.Resource? Body = null);
