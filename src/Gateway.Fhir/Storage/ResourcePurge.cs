namespace Gateway.Fhir.Storage;

/// <summary>
/// Deletes resources for good (not a FHIR delete, which keeps the history): their search index
/// rows, their versions, then their current rows. Neither the index tables nor
/// <c>resource_version</c> have foreign keys to <c>resource</c> (migrations 0043 and 0045), so
/// nothing cascades to them or stops a row going without them: every path that removes resource
/// rows goes through here.
/// </summary>
internal static class ResourcePurge
{
    /// <summary>Deletes the resources of <paramref name="keys"/> that are of <paramref name="type"/>, in the writer's transaction.</summary>
    public static async Task DeleteAsync(ResourceWriter writer, long[] keys, string type, CancellationToken ct)
    {
        var tables = IndexTables.All.Select(t => t.Name).Append("resource_version").Append("resource");
        foreach (var table in tables)
        {
            await using var delete = writer.Command();
            delete.CommandText = $"delete from {table} where resource_key = any($1) and resource_type = $2";
            delete.Parameters.Add(new() { Value = keys });
            delete.Parameters.Add(new() { Value = type });
            await delete.ExecuteNonQueryAsync(ct);
        }
    }
}
