using Gateway.Fhir.Serialization;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Storage;

/// <summary>
/// One version of a resource as the store holds it; <see cref="Resource"/> is null for a deletion.
/// Read from the store it keeps the stored JSON and parses it only when <see cref="Resource"/> is
/// first asked for, so a searchset can carry the stored JSON as it is (docs/performance.md).
/// </summary>
public sealed record StoredResource(string ResourceType, string Id, int Version, DateTimeOffset LastUpdated, Resource? Resource)
{
    private Resource? _resource = Resource;

    public Resource? Resource
    {
        get => _resource ??= Json is null ? null : FhirSerialization.FromStoredJson(Json);
        init => _resource = value;
    }

    /// <summary>The JSON the store holds for this version, when it was read from the store.</summary>
    public string? Json { get; private init; }

    public bool IsDeleted => _resource is null && Json is null;

    /// <summary>Whether <see cref="Resource"/> has been made (given, or parsed from <see cref="Json"/>).</summary>
    internal bool IsParsed => _resource is not null;

    public string VersionTag => $"W/\"{Version}\"";

    public static StoredResource FromJson(string resourceType, string id, int version, DateTimeOffset lastUpdated, string json) =>
        new(resourceType, id, version, lastUpdated, null) { Json = json };
}
