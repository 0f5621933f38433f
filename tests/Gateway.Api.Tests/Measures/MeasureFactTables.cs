using Npgsql;

namespace Gateway.Api.Tests.Measures;

/// <summary>
/// The facts the Measures count (Measures/Kept/MeasureFacts.sql) against what every stored version
/// derives: the kept rows are copied, derived again (measure_facts_rebuild) in the same transaction,
/// and the rows in one and not the other counted. The caller rolls the transaction back.
/// </summary>
public static class MeasureFactTables
{
    public static readonly string[] Names = ["referral_task_fact", "referral_request_fact", "referral_patient_fact", "wellbeing_score"];

    /// <summary>What a store whose triggers kept every fact gives: no row in one table and not the other.</summary>
    public static readonly IReadOnlyList<string> InStep = [.. Names.Select(t => $"{t}: 0 kept only, 0 derived only")];

    public static async Task<List<string>> KeptAgainstRebuiltAsync(NpgsqlConnection connection)
    {
        foreach (var table in Names)
        {
            await ExecuteAsync(connection, $"create temp table kept_{table} on commit drop as select * from {table}");
        }

        await ExecuteAsync(connection, "select measure_facts_rebuild()");
        var differences = new List<string>();
        foreach (var table in Names)
        {
            var keptOnly = await CountAsync(connection, $"select count(*) from (select * from kept_{table} except all select * from {table}) d");
            var derivedOnly = await CountAsync(connection, $"select count(*) from (select * from {table} except all select * from kept_{table}) d");
            differences.Add($"{table}: {keptOnly} kept only, {derivedOnly} derived only");
        }

        return differences;
    }

    public static async Task<long> CountAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
