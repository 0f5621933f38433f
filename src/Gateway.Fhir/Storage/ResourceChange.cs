using Gateway.Fhir.Access;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Storage;

/// <summary>
/// One version a transaction wrote: what it was before (null when created, or not read because
/// the workflow does not watch the type) and what it is now (null when deleted), and the partner
/// on whose behalf (null: the gateway's own work).
/// </summary>
public sealed record ResourceChange(string ResourceType, string Id, int Version, Resource? Previous, Resource? Current, CallingPartner? By)
{
    public string Reference => $"{ResourceType}/{Id}";

    public string VersionReference => $"{ResourceType}/{Id}/_history/{Version.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
