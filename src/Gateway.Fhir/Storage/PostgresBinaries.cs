namespace Gateway.Fhir.Storage;

/// <summary>Finds the machine's PostgreSQL server binaries (initdb, pg_ctl).</summary>
public sealed record PostgresBinaries(string InitDb, string PgCtl)
{
    public const string InstallHint =
        "Install the PostgreSQL server (Debian/Ubuntu: 'sudo apt-get install postgresql'; " +
        "Fedora: 'sudo dnf install postgresql-server'; macOS: 'brew install postgresql@16'), " +
        "or point the gateway at an existing server with ConnectionStrings:Gateway " +
        "(environment variable ConnectionStrings__Gateway).";

    // PATH first, then the folders distributions install into without putting them on PATH.
    public static PostgresBinaries Locate(IEnumerable<string>? folders = null)
    {
        foreach (var folder in folders ?? CandidateFolders())
        {
            var initDb = Path.Combine(folder, "initdb");
            var pgCtl = Path.Combine(folder, "pg_ctl");
            if (File.Exists(initDb) && File.Exists(pgCtl))
            {
                return new PostgresBinaries(initDb, pgCtl);
            }
        }

        throw new EmbeddedPostgresException(
            "No connection string is configured (ConnectionStrings:Gateway), so the gateway wants to start " +
            "its own embedded PostgreSQL, but the server binaries 'initdb' and 'pg_ctl' were not found on PATH " +
            "or under /usr/lib/postgresql/*/bin, /usr/pgsql-*/bin, /usr/local/pgsql/bin or /opt/homebrew/bin. " +
            InstallHint);
    }

    private static IEnumerable<string> CandidateFolders()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return folder;
        }

        foreach (var root in new[] { "/usr/lib/postgresql", "/usr" })
        {
            if (!Directory.Exists(root))
            {
                continue;
            }

            var pattern = root == "/usr" ? "pgsql-*" : "*";
            // Newest major version first.
            foreach (var versioned in Directory.GetDirectories(root, pattern).OrderByDescending(MajorVersion))
            {
                yield return Path.Combine(versioned, "bin");
            }
        }

        yield return "/usr/local/pgsql/bin";
        yield return "/opt/homebrew/bin";
        yield return "/usr/local/bin";
    }

    private static int MajorVersion(string folder)
    {
        var digits = new string(Path.GetFileName(folder).Where(char.IsDigit).ToArray());
        return int.TryParse(digits, out var version) ? version : 0;
    }
}
