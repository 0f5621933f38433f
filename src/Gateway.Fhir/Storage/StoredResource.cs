using Hl7.Fhir.Model;

namespace Gateway.Fhir.Storage;

/// <summary>One version of a resource as the store holds it; <see cref="Resource"/> is null for a deletion.</summary>
public sealed record StoredResource(string ResourceType, string Id, int Version, DateTimeOffset LastUpdated, Resource? Resource)
{
    public bool IsDeleted => Resource is null;

    public string VersionTag => $"W/\"{Version}\"";
}
