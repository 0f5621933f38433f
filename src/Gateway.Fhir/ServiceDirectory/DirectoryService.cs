using Gateway.Fhir.Partners;

namespace Gateway.Fhir.ServiceDirectory;

/// <summary>
/// A directory entry as routing sees it: its capacity, categories (codes), the postcodes of its
/// locations, and the partner that receives its referrals (null when no partner of this gateway provides it).
/// </summary>
public sealed record DirectoryService(
    string Id,
    string Name,
    bool Active,
    ServiceCapacity Capacity,
    IReadOnlyList<string> Categories,
    IReadOnlyList<string> Postcodes,
    Partner? Provider)
{
    public string Reference => "HealthcareService/" + Id;

    public string Label => $"{Reference} ({Name})";
}
