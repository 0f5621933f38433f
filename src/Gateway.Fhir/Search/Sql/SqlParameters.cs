using Npgsql;

namespace Gateway.Fhir.Search.Sql;

/// <summary>Adds a positional parameter and returns its placeholder: values are always bound, never concatenated.</summary>
internal static class SqlParameters
{
    public static string Bind(this NpgsqlCommand command, object? value)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        return "$" + command.Parameters.Count;
    }
}
