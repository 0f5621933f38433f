using Microsoft.Extensions.Configuration;

namespace Gateway.Fhir.Export;

/// <summary>Settings of Bulk Data $export (<c>Gateway:Export</c>, docs/guide-evaluators.md).</summary>
public sealed class ExportOptions
{
    public const string Section = "Gateway:Export";

    /// <summary>How long a completed export's files stay downloadable; the cleanup job deletes them after.</summary>
    public TimeSpan FileLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The Retry-After a client polling an export still running is told.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Resources per NDJSON file; a type with more is split over several files.</summary>
    public int ResourcesPerFile { get; set; } = 10_000;

    /// <summary>Bytes per stored chunk of a file: what a job or a download holds in memory at a time.</summary>
    public int ChunkBytes { get; set; } = 256 * 1024;

    /// <summary>The cron schedule of the job that deletes expired exports.</summary>
    public string CleanupSchedule { get; set; } = "*/15 * * * *";

    /// <summary>Reads <c>Gateway:Export</c> and says what is wrong with it, naming the key.</summary>
    public static ExportOptions From(IConfiguration configuration)
    {
        var options = new ExportOptions();
        configuration.GetSection(Section).Bind(options);
        if (options.FileLifetime <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{Section}:FileLifetime is {options.FileLifetime}; give a positive time span such as 24:00:00.");
        }

        if (options.ResourcesPerFile < 1 || options.ChunkBytes < 1024)
        {
            throw new InvalidOperationException($"{Section}:ResourcesPerFile must be at least 1 and {Section}:ChunkBytes at least 1024.");
        }

        return options;
    }
}
