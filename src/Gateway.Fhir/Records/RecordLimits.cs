using System.ComponentModel.DataAnnotations;

namespace Gateway.Fhir.Records;

/// <summary>
/// How big partner records may be (section <c>Gateway:Records</c>, issue 17): each record is stored
/// raw and kept, so a record or field bigger than any real one is refused before it is stored.
/// </summary>
public sealed class RecordLimits
{
    public const string Section = "Gateway:Records";

    /// <summary>Longest value of one field (a JSON string, a CSV cell), in characters.</summary>
    [Range(16, 10 * 1024 * 1024)]
    public int MaxFieldLength { get; set; } = 32 * 1024;

    /// <summary>Largest record (one JSON record, one CSV row), in bytes of UTF-8.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxRecordBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest body of <c>POST /records/batch</c>, in bytes.</summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxBatchBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Records of a batch (a file, a JSON array, a pull's page) applied together in one database
    /// transaction; a crash loses at most the chunk being applied, which stays stored and pending.
    /// 250 rather than 500: a chunk's rows are held in memory until it commits, and with 250 the
    /// 100,000-row file peaked 60-120 MB lower for the same CPU a row (docs/performance.md, issue 18's
    /// fourteenth pass).
    /// </summary>
    [Range(1, 5000)]
    public int ChunkRows { get; set; } = 250;

    /// <summary>
    /// Chunks of one batch (a wor-export file, a JSON array of housing-case records) applied at once,
    /// each in its own transaction; chunks that may name the same referral never run together. 1
    /// applies a batch chunk after chunk.
    /// </summary>
    [Range(1, 16)]
    public int ChunksAtOnce { get; set; } = 2;
}
