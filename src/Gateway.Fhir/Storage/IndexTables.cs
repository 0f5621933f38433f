using Gateway.Fhir.Search.Index;

namespace Gateway.Fhir.Storage;

/// <summary>A value column of an index table (after resource_key and resource_type), with its PostgreSQL type.</summary>
internal sealed record IndexColumn(string Name, string Type, bool Nullable);

/// <summary>
/// One of the five search index tables: its value columns and how a resource's
/// <see cref="IndexRows"/> fill them, so a statement over many resources' rows spells them once.
/// </summary>
internal sealed class IndexTable(string name, IndexColumn[] columns, Func<IndexRows, IEnumerable<object?[]>> rowsOf)
{
    public string Name { get; } = name;

    public IReadOnlyList<IndexColumn> Columns { get; } = columns;

    /// <summary>Every row of <paramref name="resources"/> in this table, as one array a column (its owner first: a key or a new id; its type second).</summary>
    public (TOwner[] Owners, string[] Types, Array[] Values) Arrays<TOwner>(IReadOnlyList<(TOwner Owner, string Type, IndexRows Rows)> resources)
    {
        var keys = new List<TOwner>();
        var types = new List<string>();
        var values = Columns.Select(_ => new List<object?>()).ToArray();
        foreach (var (key, type, rows) in resources)
        {
            foreach (var row in rowsOf(rows))
            {
                keys.Add(key);
                types.Add(type);
                for (var i = 0; i < values.Length; i++)
                {
                    values[i].Add(row[i]);
                }
            }
        }

        return ([.. keys], [.. types], [.. Columns.Select((column, i) => Typed(column, values[i]))]);
    }

    // Npgsql infers the array's PostgreSQL type from its element type.
    private static Array Typed(IndexColumn column, List<object?> values) => column.Type switch
    {
        "text" => values.Cast<string?>().ToArray(),
        "timestamptz" => values.Select(v => IndexSql.ToDatabase((DateTimeOffset)v!)).ToArray(),
        "float8" => values.Select(v => (double)v!).ToArray(),
        _ => throw new InvalidOperationException($"The index column {column.Name} has the type {column.Type}, which IndexTable cannot bind."),
    };
}

/// <summary>The five search index tables (Migrations 0002 and 0030).</summary>
internal static class IndexTables
{
    public static readonly IndexTable Token = new("search_token",
        [new("param", "text", false), new("system", "text", true), new("code", "text", true), new("display", "text", true)],
        rows => rows.Tokens.Select(t => new object?[] { t.Param, t.System, t.Code, t.Text }));

    public static readonly IndexTable String = new("search_string",
        [new("param", "text", false), new("normalized", "text", false), new("exact", "text", false)],
        rows => rows.Strings.Select(s => new object?[] { s.Param, s.Normalized, s.Exact }));

    public static readonly IndexTable Date = new("search_date",
        [new("param", "text", false), new("start_at", "timestamptz", false), new("end_at", "timestamptz", false)],
        rows => rows.Dates.Select(d => new object?[] { d.Param, d.Start, d.End }));

    public static readonly IndexTable Reference = new("search_reference",
        [new("param", "text", false), new("target_type", "text", true), new("target_id", "text", true), new("url", "text", true)],
        rows => rows.References.Select(r => new object?[] { r.Param, r.TargetType, r.TargetId, r.Url }));

    public static readonly IndexTable Position = new("search_position",
        [new("param", "text", false), new("latitude", "float8", false), new("longitude", "float8", false)],
        rows => rows.Positions.Select(p => new object?[] { p.Param, p.Latitude, p.Longitude }));

    public static readonly IReadOnlyList<IndexTable> All = [Token, String, Date, Reference, Position];
}
