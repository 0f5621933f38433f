using System.Text;
using Gateway.Fhir.Serialization;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Storage;

/// <summary>
/// One version of a resource as the store holds it; <see cref="Resource"/> is null for a deletion.
/// Read from the store it keeps the stored JSON as the UTF-8 Npgsql read, and parses it only when
/// <see cref="Resource"/> is first asked for, so a searchset can carry the stored JSON as it is
/// (docs/performance.md), and a parse reads the bytes without a UTF-16 copy between.
/// </summary>
public sealed record StoredResource(string ResourceType, string Id, int Version, DateTimeOffset LastUpdated, Resource? Resource)
{
    private Resource? _resource = Resource;
    private string? _json;

    public Resource? Resource
    {
        get => _resource ??= Utf8Json is null ? null : FhirSerialization.FromStoredJson(Utf8Json);
        init => _resource = value;
    }

    /// <summary>The JSON the store holds for this version, as UTF-8, when it was read from the store.</summary>
    public byte[]? Utf8Json { get; private init; }

    /// <summary><see cref="Utf8Json"/> as text, made when first asked for.</summary>
    public string? Json => _json ??= Utf8Json is null ? null : Encoding.UTF8.GetString(Utf8Json);

    public bool IsDeleted => _resource is null && Utf8Json is null;

    /// <summary>Whether <see cref="Resource"/> has been made (given, or parsed from <see cref="Utf8Json"/>).</summary>
    internal bool IsParsed => _resource is not null;

    public string VersionTag => $"W/\"{Version}\"";

    public static StoredResource FromJson(string resourceType, string id, int version, DateTimeOffset lastUpdated, byte[] utf8Json) =>
        new(resourceType, id, version, lastUpdated, null) { Utf8Json = utf8Json };
}
