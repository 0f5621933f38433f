using Npgsql;

namespace Gateway.Fhir.Storage;

/// <summary>
/// One statement planned in a plan mode of its own (force_generic_plan, force_custom_plan), then
/// the transaction back to its connection's own mode: all in one round trip. Read the answer past
/// the first statements' one row each (<paramref name="first"/>'s, then set_config's).
/// </summary>
internal static class PlanModeBatch
{
    public static NpgsqlBatch For(NpgsqlCommand query, string planMode, NpgsqlConnection connection, NpgsqlTransaction? transaction, NpgsqlBatchCommand? first = null)
    {
        var batch = new NpgsqlBatch(connection, transaction);
        if (first is not null)
        {
            batch.BatchCommands.Add(first);
        }

        var mode = new NpgsqlBatchCommand("select set_config('plan_cache_mode', $1, true)");
        mode.Parameters.Add(new() { Value = planMode });
        batch.BatchCommands.Add(mode);
        var statement = new NpgsqlBatchCommand(query.CommandText);
        foreach (NpgsqlParameter parameter in query.Parameters)
        {
            statement.Parameters.Add(parameter.Clone());
        }

        batch.BatchCommands.Add(statement);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("set local plan_cache_mode to default"));
        return batch;
    }
}
