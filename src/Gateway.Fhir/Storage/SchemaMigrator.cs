using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gateway.Fhir.Storage;

/// <summary>
/// Applies the numbered SQL files of Storage/Migrations in order, each once, each in its own
/// transaction; then the repeatable scripts (Access/*.sql and Measures/Kept/*.sql: tables, views,
/// functions and triggers that derive data), each again whenever its text has changed. A session-level advisory lock makes instances that
/// start together take turns.
/// </summary>
public static class SchemaMigrator
{
    // Any constant unique to this application; "IGW" + 1.
    private const long MigrationLockKey = 0x49_47_57_01;

    public static async Task<IReadOnlyList<string>> MigrateAsync(NpgsqlDataSource dataSource, ILogger logger, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await Execute(connection, $"select pg_advisory_lock({MigrationLockKey})", ct);
        try
        {
            await Execute(connection, """
                create table if not exists schema_migration (
                    version    integer primary key,
                    name       text not null,
                    applied_at timestamptz not null default now()
                )
                """, ct);

            var applied = new HashSet<int>();
            await using (var read = new NpgsqlCommand("select version from schema_migration", connection))
            await using (var reader = await read.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    applied.Add(reader.GetInt32(0));
                }
            }

            var newlyApplied = new List<string>();
            foreach (var migration in Migrations().Where(m => !applied.Contains(m.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await using (var script = new NpgsqlCommand(migration.Sql, connection, transaction))
                {
                    await script.ExecuteNonQueryAsync(ct);
                }

                await using (var record = new NpgsqlCommand("insert into schema_migration (version, name) values ($1, $2)", connection, transaction))
                {
                    record.Parameters.Add(new() { Value = migration.Version });
                    record.Parameters.Add(new() { Value = migration.Name });
                    await record.ExecuteNonQueryAsync(ct);
                }

                await transaction.CommitAsync(ct);
                logger.LogInformation("Applied schema migration {Name}", migration.Name);
                newlyApplied.Add(migration.Name);
            }

            newlyApplied.AddRange(await ApplyRepeatableAsync(connection, logger, ct));
            return newlyApplied;
        }
        finally
        {
            // A connection a failure broke has lost its session lock already; unlocking it would
            // throw "Connection is not open" and hide the failure that matters.
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await Execute(connection, $"select pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
            }
        }
    }

    private static readonly string[] RepeatablePrefixes = ["Gateway.Fhir.Access.", "Gateway.Fhir.Measures.Kept."];

    // Flyway's "repeatable migrations": run after the numbered ones, again when the checksum changes.
    private static async Task<IReadOnlyList<string>> ApplyRepeatableAsync(NpgsqlConnection connection, ILogger logger, CancellationToken ct)
    {
        await Execute(connection, "create table if not exists schema_script (name text primary key, checksum text not null, applied_at timestamptz not null default now())", ct);
        var applied = new List<string>();
        foreach (var script in RepeatablePrefixes.SelectMany(Scripts))
        {
            var checksum = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(script.Sql)));
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using (var known = new NpgsqlCommand("select checksum from schema_script where name = $1", connection, transaction))
            {
                known.Parameters.Add(new() { Value = script.Name });
                if (await known.ExecuteScalarAsync(ct) as string == checksum)
                {
                    continue;
                }
            }

            await using (var run = new NpgsqlCommand(script.Sql, connection, transaction))
            {
                run.CommandTimeout = 0; // derives data over the whole store on the first start
                await run.ExecuteNonQueryAsync(ct);
            }

            await using (var record = new NpgsqlCommand("""
                insert into schema_script (name, checksum) values ($1, $2)
                on conflict (name) do update set checksum = excluded.checksum, applied_at = now()
                """, connection, transaction))
            {
                record.Parameters.Add(new() { Value = script.Name });
                record.Parameters.Add(new() { Value = checksum });
                await record.ExecuteNonQueryAsync(ct);
            }

            await transaction.CommitAsync(ct);
            logger.LogInformation("Applied repeatable script {Name}", script.Name);
            applied.Add(script.Name);
        }

        return applied;
    }

    private static IEnumerable<(string Name, string Sql)> Scripts(string prefix)
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (name[prefix.Length..^".sql".Length], reader.ReadToEnd());
        }
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static IEnumerable<Migration> Migrations()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        const string prefix = "Gateway.Fhir.Storage.Migrations.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Load(assembly, n, n[prefix.Length..^".sql".Length]))
            .OrderBy(m => m.Version);
    }

    private static Migration Load(Assembly assembly, string resourceName, string name)
    {
        using var stream = assembly.GetManifestResourceStream(resourceName)!;
        using var reader = new StreamReader(stream);
        var version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
        return new Migration(version, name, reader.ReadToEnd());
    }

    private sealed record Migration(int Version, string Name, string Sql);
}
