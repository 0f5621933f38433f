namespace Gateway.Testing;

/// <summary>
/// What the database holds: resources per type and versions in all, leaving out the audit trail
/// (which records every request, refused ones too). Equal counts before and after a request mean
/// it stored nothing; the text form makes a failed comparison readable.
/// </summary>
public sealed class ResourceCounts : IEquatable<ResourceCounts>
{
    private readonly SortedDictionary<string, long> _resources;
    private readonly long _versions;

    private ResourceCounts(SortedDictionary<string, long> resources, long versions)
    {
        _resources = resources;
        _versions = versions;
    }

    /// <summary>These counts with <paramref name="created"/> more resources of <paramref name="type"/>, each with one version.</summary>
    public ResourceCounts With(string type, long created)
    {
        var resources = new SortedDictionary<string, long>(_resources, StringComparer.Ordinal);
        resources[type] = resources.GetValueOrDefault(type) + created;
        return new ResourceCounts(resources, _versions + created);
    }

    public static async Task<ResourceCounts> ReadAsync(GatewayApp gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var resources = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await using (var command = gateway.Database.CreateCommand("select resource_type, count(*) from resource where resource_type <> 'AuditEvent' group by resource_type"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                resources[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        await using var versions = gateway.Database.CreateCommand("select count(*) from resource_version where resource_type <> 'AuditEvent'");
        return new ResourceCounts(resources, (long)(await versions.ExecuteScalarAsync())!);
    }

    public bool Equals(ResourceCounts? other) => other is not null && ToString() == other.ToString();

    public override bool Equals(object? obj) => Equals(obj as ResourceCounts);

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    public override string ToString() => string.Join(", ", _resources.Select(r => $"{r.Key} {r.Value}")) + $"; {_versions} versions";
}
