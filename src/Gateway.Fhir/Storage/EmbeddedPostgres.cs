using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gateway.Fhir.Storage;

/// <summary>
/// A private PostgreSQL cluster in a folder of its own, made with the machine's initdb and pg_ctl
/// (SPEC §2): created on first start, reused on the next, listening on loopback only (on a free
/// port, or the one given), with a generated password. Stopped by <see cref="Dispose"/>.
/// </summary>
/// <remarks>
/// Layout of <see cref="Folder"/>: <c>data/</c> (the cluster), <c>password</c>, <c>postgres.log</c>.
/// PostgreSQL refuses to run as root, so when the gateway runs as root the cluster runs as the
/// <c>postgres</c> system user (created by the distribution's package) through runuser.
/// </remarks>
public sealed class EmbeddedPostgres : IDisposable
{
    private const string SuperUser = "gateway";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly PostgresBinaries _binaries;
    private readonly ILogger _logger;
    private readonly string? _runAs;
    private bool _stopped;

    private EmbeddedPostgres(string folder, PostgresBinaries binaries, ILogger logger)
    {
        Folder = Path.GetFullPath(folder);
        _binaries = binaries;
        _logger = logger;
        _runAs = Environment.UserName == "root" ? "postgres" : null;
    }

    public string Folder { get; }

    public int Port { get; private set; }

    private string DataFolder => Path.Combine(Folder, "data");

    private string PasswordFile => Path.Combine(Folder, "password");

    private string LogFile => Path.Combine(Folder, "postgres.log");

    /// <summary>Creates the cluster if the folder holds none, then starts it (or adopts one already running there).</summary>
    /// <param name="serverSettings">Extra <c>-c name=value</c> settings, e.g. fsync=off for test clusters.</param>
    /// <param name="port">The loopback port to listen on; a free one when null.</param>
    public static EmbeddedPostgres Start(string folder, ILogger logger, IReadOnlyDictionary<string, string>? serverSettings = null, int? port = null)
    {
        var cluster = new EmbeddedPostgres(folder, PostgresBinaries.Locate(), logger);
        cluster.InitializeIfNew();
        cluster.StartOrAdopt(serverSettings ?? new Dictionary<string, string>(), port);
        return cluster;
    }

    /// <summary>
    /// Server settings that load pg_stat_statements, planning times included, for
    /// <see cref="Start"/>. They apply when the server starts: a cluster already running is adopted as it is.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> StatementTrackingSettings = new Dictionary<string, string>
    {
        ["shared_preload_libraries"] = "pg_stat_statements",
        ["pg_stat_statements.track_planning"] = "on",
    };

    /// <summary>Creates the pg_stat_statements view in <paramref name="database"/>; the server must have started with <see cref="StatementTrackingSettings"/>.</summary>
    public async Task EnsureStatementTrackingAsync(string database, CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync(ct);
        await using var create = new NpgsqlCommand("create extension if not exists pg_stat_statements", connection);
        await create.ExecuteNonQueryAsync(ct);
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Password = File.ReadAllText(PasswordFile).Trim(),
        Database = database,
    }.ConnectionString;

    /// <summary>Creates the database if it does not exist yet.</summary>
    public async Task EnsureDatabaseAsync(string database, CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", connection)
        {
            Parameters = { new() { Value = database } },
        };
        if (await exists.ExecuteScalarAsync(ct) is not null)
        {
            return;
        }

        // CREATE DATABASE takes no parameters; quote the identifier instead.
        var quoted = "\"" + database.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        await using var create = new NpgsqlCommand($"create database {quoted}", connection);
        try
        {
            await create.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another process created it between our check and our create.
        }
    }

    public void Dispose()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        var result = RunPostgresTool(_binaries.PgCtl, "stop", "-D", DataFolder, "-m", "fast", "-w", "-t", "30");
        if (result.ExitCode != 0)
        {
            _logger.LogWarning("Stopping the embedded PostgreSQL in {Folder} failed: {Output}", DataFolder, result.Output);
        }
        else
        {
            _logger.LogInformation("Embedded PostgreSQL in {Folder} stopped", DataFolder);
        }
    }

    private void InitializeIfNew()
    {
        if (File.Exists(Path.Combine(DataFolder, "PG_VERSION")))
        {
            return;
        }

        Directory.CreateDirectory(Folder);
        _logger.LogInformation("Creating an embedded PostgreSQL cluster in {Folder}", DataFolder);
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        File.WriteAllText(PasswordFile, password);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        // initdb reads the superuser password from a file it can open; it is deleted right after.
        var passwordForInitDb = Path.Combine(Folder, "initdb-password");
        File.WriteAllText(passwordForInitDb, password);
        try
        {
            HandFolderToServerUser(passwordForInitDb);
            var result = RunPostgresTool(_binaries.InitDb,
                "-D", DataFolder, "-U", SuperUser, "--pwfile", passwordForInitDb,
                "--auth-local", "scram-sha-256", "--auth-host", "scram-sha-256",
                "-E", "UTF8", "--no-locale", "--no-instructions");
            if (result.ExitCode != 0)
            {
                TryDelete(DataFolder);
                throw new EmbeddedPostgresException(
                    $"initdb could not create the embedded PostgreSQL cluster in {DataFolder} (exit code {result.ExitCode}):\n{result.Output}" +
                    (_runAs is null ? "" : $"\nThe gateway runs as root, so the cluster runs as the '{_runAs}' user: every folder above {Folder} must be readable by that user."));
            }
        }
        finally
        {
            File.Delete(passwordForInitDb);
        }
    }

    private void StartOrAdopt(IReadOnlyDictionary<string, string> serverSettings, int? port)
    {
        // A previous gateway process that was killed leaves its server running: adopt it, unless it listens elsewhere than asked.
        if (RunPostgresTool(_binaries.PgCtl, "status", "-D", DataFolder).ExitCode == 0 && TryReadRunningPort() is { } running)
        {
            if (port is null || port == running)
            {
                Port = running;
                _logger.LogInformation("Embedded PostgreSQL already running in {Folder} on port {Port}; using it", DataFolder, Port);
                return;
            }

            _logger.LogInformation("Embedded PostgreSQL running in {Folder} on port {Running}; restarting it on port {Port}", DataFolder, running, port);
            RunPostgresTool(_binaries.PgCtl, "stop", "-D", DataFolder, "-m", "fast", "-w", "-t", "30");
        }

        // The free port we pick can be taken by someone else before the server binds it: try again.
        for (var attempt = 1; ; attempt++)
        {
            Port = port ?? FreeLoopbackPort();
            var options = string.Join(' ', new[]
            {
                $"-p {Port}",
                "-c listen_addresses=127.0.0.1",
                "-c unix_socket_directories=''",
                // JIT pays off for long analytical queries; on the store's short ones it only adds
                // compile time (65 ms seen on one search page of 100,000 Tasks).
                "-c jit=off",
            }.Concat(serverSettings.Select(s => $"-c {s.Key}={s.Value}")));
            var result = RunPostgresTool(_binaries.PgCtl,
                "start", "-D", DataFolder, "-l", LogFile, "-w", "-t", ((int)StartTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                "-o", options);
            if (result.ExitCode == 0)
            {
                _logger.LogInformation("Embedded PostgreSQL started in {Folder} on 127.0.0.1:{Port}", DataFolder, Port);
                return;
            }

            if (attempt == 3 || port is not null)
            {
                var log = File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(20)) : "";
                throw new EmbeddedPostgresException(
                    $"pg_ctl could not start the embedded PostgreSQL in {DataFolder} on 127.0.0.1:{Port} (exit code {result.ExitCode}):\n{result.Output}\nLast lines of {LogFile}:\n{log}" +
                    (port is null ? "" : $"\nIs port {port} (Gateway:Database:EmbeddedPort) taken by another program?"));
            }
        }
    }

    // postmaster.pid line 4 holds the port (PostgreSQL docs, "Database File Layout").
    private int? TryReadRunningPort()
    {
        var pidFile = Path.Combine(DataFolder, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }

        var lines = File.ReadAllLines(pidFile);
        return lines.Length > 3 && int.TryParse(lines[3], CultureInfo.InvariantCulture, out var port) ? port : null;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void HandFolderToServerUser(string passwordFile)
    {
        if (_runAs is null)
        {
            return;
        }

        Directory.CreateDirectory(DataFolder);
        foreach (var path in new[] { DataFolder, passwordFile })
        {
            var chown = Run("chown", "-R", _runAs, path);
            if (chown.ExitCode != 0)
            {
                throw new EmbeddedPostgresException(
                    $"The gateway runs as root, and PostgreSQL refuses to; running the cluster as the '{_runAs}' user failed: " +
                    $"chown {_runAs} {path}: {chown.Output}\nCreate that user (it comes with the postgresql package) or run the gateway as a normal user.");
            }
        }

        // The server writes its log next to the data folder; make sure it may.
        File.WriteAllText(LogFile, "");
        Run("chown", _runAs, LogFile);
    }

    private ProcessResult RunPostgresTool(string tool, params string[] arguments) =>
        _runAs is null ? Run(tool, arguments) : Run("runuser", ["-u", _runAs, "--", tool, .. arguments]);

    private static ProcessResult Run(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Without LC_ALL=C, initdb can fail on machines whose locale is not installed.
        start.Environment["LC_ALL"] = "C";
        using var process = Process.Start(start) ?? throw new EmbeddedPostgresException($"Could not start {fileName}.");
        // Read both streams concurrently so neither pipe fills up and blocks the child.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new ProcessResult(process.ExitCode, (stdout.Result + stderr.Result).Trim());
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed record ProcessResult(int ExitCode, string Output);
}
