using Gateway.Fhir.Search.Index;

namespace Gateway.Fhir.Storage;

/// <summary>A value column of an index table (after resource_key and resource_type), with its PostgreSQL type.</summary>
internal sealed record IndexColumn(string Name, string Type, bool Nullable);

/// <summary>
/// One of the five search index tables: its value columns and how a resource's
/// <see cref="IndexRows"/> fill them, so a statement over many resources' rows spells them once.
/// </summary>
/// <param name="countOf">How many rows of this table a resource's index rows make.</param>
/// <param name="fill">Writes a resource's rows of this table into the column arrays (<see cref="NewColumn"/>'s), from the position given.</param>
internal sealed class IndexTable(string name, IndexColumn[] columns, Func<IndexRows, int> countOf, Action<IndexRows, Array[], int> fill)
{
    public string Name { get; } = name;

    public IReadOnlyList<IndexColumn> Columns { get; } = columns;

    /// <summary>
    /// Every row of <paramref name="resources"/> in this table, as one array a column (its owner first: a key or a new id; its type second).
    /// Each array is made once at its final length and typed as Npgsql binds it (issue 18, tenth pass: lists of boxed
    /// rows grown and copied out were 3 % of a wor-export send's gateway CPU, most of it the collector's).
    /// </summary>
    public (TOwner[] Owners, string[] Types, Array[] Values) Arrays<TOwner>(IReadOnlyList<(TOwner Owner, string Type, IndexRows Rows)> resources)
    {
        var count = 0;
        foreach (var (_, _, rows) in resources)
        {
            count += countOf(rows);
        }

        var owners = new TOwner[count];
        var types = new string[count];
        var values = Columns.Select(column => NewColumn(column, count)).ToArray();
        var at = 0;
        foreach (var (owner, type, rows) in resources)
        {
            var rowCount = countOf(rows);
            Array.Fill(owners, owner, at, rowCount);
            Array.Fill(types, type, at, rowCount);
            fill(rows, values, at);
            at += rowCount;
        }

        return (owners, types, values);
    }

    // Npgsql infers the array's PostgreSQL type from its element type.
    private static Array NewColumn(IndexColumn column, int length) => column.Type switch
    {
        "text" => new string?[length],
        "timestamptz" => new DateTime[length],
        "float8" => new double[length],
        _ => throw new InvalidOperationException($"The index column {column.Name} has the type {column.Type}, which IndexTable cannot bind."),
    };
}

/// <summary>The five search index tables (Migrations 0002 and 0030).</summary>
internal static class IndexTables
{
    public static readonly IndexTable Token = new("search_token",
        [new("param", "text", false), new("system", "text", true), new("code", "text", true), new("display", "text", true)],
        rows => rows.Tokens.Count,
        (rows, columns, at) => Fill(rows.Tokens, at, (t, i) => (Text(columns, 0)[i], Text(columns, 1)[i], Text(columns, 2)[i], Text(columns, 3)[i]) = (t.Param, t.System, t.Code, t.Text)));

    public static readonly IndexTable String = new("search_string",
        [new("param", "text", false), new("normalized", "text", false), new("exact", "text", false)],
        rows => rows.Strings.Count,
        (rows, columns, at) => Fill(rows.Strings, at, (s, i) => (Text(columns, 0)[i], Text(columns, 1)[i], Text(columns, 2)[i]) = (s.Param, s.Normalized, s.Exact)));

    public static readonly IndexTable Date = new("search_date",
        [new("param", "text", false), new("start_at", "timestamptz", false), new("end_at", "timestamptz", false)],
        rows => rows.Dates.Count,
        (rows, columns, at) => Fill(rows.Dates, at, (d, i) => (Text(columns, 0)[i], Instants(columns, 1)[i], Instants(columns, 2)[i]) = (d.Param, IndexSql.ToDatabase(d.Start), IndexSql.ToDatabase(d.End))));

    public static readonly IndexTable Reference = new("search_reference",
        [new("param", "text", false), new("target_type", "text", true), new("target_id", "text", true), new("url", "text", true)],
        rows => rows.References.Count,
        (rows, columns, at) => Fill(rows.References, at, (r, i) => (Text(columns, 0)[i], Text(columns, 1)[i], Text(columns, 2)[i], Text(columns, 3)[i]) = (r.Param, r.TargetType, r.TargetId, r.Url)));

    public static readonly IndexTable Position = new("search_position",
        [new("param", "text", false), new("latitude", "float8", false), new("longitude", "float8", false)],
        rows => rows.Positions.Count,
        (rows, columns, at) => Fill(rows.Positions, at, (p, i) => (Text(columns, 0)[i], Numbers(columns, 1)[i], Numbers(columns, 2)[i]) = (p.Param, p.Latitude, p.Longitude)));

    public static readonly IReadOnlyList<IndexTable> All = [Token, String, Date, Reference, Position];

    private static void Fill<TRow>(List<TRow> rows, int at, Action<TRow, int> put)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            put(rows[i], at + i);
        }
    }

    private static string?[] Text(Array[] columns, int index) => (string?[])columns[index];

    private static DateTime[] Instants(Array[] columns, int index) => (DateTime[])columns[index];

    private static double[] Numbers(Array[] columns, int index) => (double[])columns[index];
}
