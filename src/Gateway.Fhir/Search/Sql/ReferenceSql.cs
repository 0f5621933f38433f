using Npgsql;

namespace Gateway.Fhir.Search.Sql;

/// <summary>Reference matching, FHIR R4 search.html#reference: <c>Type/id</c>, a bare <c>id</c>, an absolute URL, and chains.</summary>
internal static class ReferenceSql
{
    public static string Match(NpgsqlCommand command, string alias, string? typeModifier, string value, string? baseUrl)
    {
        // An absolute URL of this very server is the same as the relative reference.
        if (baseUrl is not null && value.StartsWith(baseUrl + "/", StringComparison.Ordinal))
        {
            value = value[(baseUrl.Length + 1)..];
        }

        if (value.Contains("://", StringComparison.Ordinal) || value.StartsWith("urn:", StringComparison.Ordinal))
        {
            return $"{alias}.url = {command.Bind(value.Split('|')[0])}";
        }

        var parts = value.Split('/');
        if (parts.Length >= 2)
        {
            return $"{alias}.target_type = {command.Bind(parts[0])} and {alias}.target_id = {command.Bind(parts[1])}";
        }

        // A bare id, optionally typed by the modifier (subject:Patient=123).
        return typeModifier is null
            ? $"{alias}.target_id = {command.Bind(value)}"
            : $"{alias}.target_type = {command.Bind(typeModifier)} and {alias}.target_id = {command.Bind(value)}";
    }

    /// <summary>The referenced resource exists, is one of <paramref name="targetTypes"/>, and meets <paramref name="condition"/> (given its alias).</summary>
    public static string Chained(NpgsqlCommand command, string alias, IReadOnlyList<string> targetTypes, Func<string, string> condition)
    {
        var target = alias + "_target";
        return $"exists (select 1 from resource {target} where {target}.resource_type = {alias}.target_type and {target}.resource_id = {alias}.target_id " +
            $"and {target}.resource_type = any({command.Bind(targetTypes.ToArray())}) and not {target}.is_deleted and {condition(target)})";
    }
}
