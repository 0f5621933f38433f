using System.Globalization;
using Npgsql;

namespace Gateway.LoadDriver;

/// <summary>
/// The floor every figure is quoted against: plain INSERTs of the same JSON into PostgreSQL on the
/// same machine, at the same concurrency, without the gateway. Uses the embedded cluster of a
/// running sandbox (its folder holds the port and the password) and a scratch table it drops after.
/// </summary>
public static class InsertFloor
{
    public static string ConnectionString(string postgresFolder)
    {
        // postmaster.pid, line 4: the port the cluster listens on.
        var port = int.Parse(File.ReadAllLines(Path.Combine(postgresFolder, "data", "postmaster.pid"))[3], CultureInfo.InvariantCulture);
        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "gateway",
            Password = File.ReadAllText(Path.Combine(postgresFolder, "password")).Trim(),
            Database = "gateway",
            MaxPoolSize = 200,
        }.ConnectionString;
    }

    public static async Task<LoadResult> RunAsync(string connectionString, ReferralData data, int concurrency, TimeSpan warmup, TimeSpan window, CancellationToken ct, ProcessCpu? cpu = null)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var create = dataSource.CreateCommand("create table if not exists load_floor (id bigserial primary key, body jsonb not null)"))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        try
        {
            return await LoadRun.RunAsync("plain INSERT (floor)", async (n, token) =>
            {
                await using var insert = dataSource.CreateCommand("insert into load_floor (body) values ($1::jsonb)");
                insert.Parameters.Add(new() { Value = data.Bundle(n) });
                return await insert.ExecuteNonQueryAsync(token) == 1;
            }, concurrency, warmup, window, ct, cpu);
        }
        finally
        {
            await using var drop = dataSource.CreateCommand("drop table load_floor");
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
