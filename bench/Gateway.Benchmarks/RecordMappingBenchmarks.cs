using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Gateway.Mapping;
using Gateway.Mapping.HousingCase;
using Gateway.Mapping.HousingReferral;
using Gateway.Mapping.Status;
using Gateway.Mapping.WorExport;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Gateway.Benchmarks;

/// <summary>
/// What the pure mapping of a partner record costs (src/Gateway.Mapping, no I/O, no database):
/// a housing-case/v1 update and a housing-referral/v1 referral from ../shared/samples, and per row
/// of a wor-export/v1 file of 10,000 valid rows made from the sample export's rows 1-4, read alone
/// and read and mapped. Results in docs/performance.md.
/// </summary>
[MemoryDiagnoser]
public class RecordMappingBenchmarks
{
    private const int WorRows = 10_000;

    // After every date in the samples used here (housing-case/02 has December 2026 dates: not used).
    private static readonly DateTimeOffset ReceivedAt = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private string _housingCase = "";
    private string _housingReferral = "";
    private HousingCaseMapper _housingCaseMapper = null!;
    private WorExportMapper _worMapper = null!;
    private MemoryStream _worExport = null!;

    [GlobalSetup]
    public void Setup()
    {
        var root = BenchmarkFiles.RepositoryRoot();
        var samples = SamplesFolder(root);
        _housingCase = File.ReadAllText(Path.Combine(samples, "housing-case", "01-engaged-with-ons4.json"));
        _housingReferral = File.ReadAllText(Path.Combine(samples, "housing-referral", "01-damp-and-breathing.json"));
        _housingCaseMapper = new HousingCaseMapper(Statuses(root, "ConceptMap-housing-case-status-to-task.json"));
        _worMapper = new WorExportMapper(Statuses(root, "ConceptMap-wor-status-to-task.json"));
        _worExport = new MemoryStream(WorExport(Path.Combine(samples, "wor-export", "2026-10-31-wor-kampen.csv")), writable: false);

        if (!MapHousingCase().IsAccepted || !MapHousingReferral().IsAccepted)
        {
            throw new InvalidOperationException("The housing-case and housing-referral samples should map clean.");
        }

        _worExport.Position = 0;
        using var reader = WorExportCsvReader.Open(_worExport);
        var rows = reader.ReadRows().ToList();
        if (rows.Count != WorRows || rows.Select(r => r.ContentHash).Distinct(StringComparer.Ordinal).Count() != WorRows
            || !rows.All(r => _worMapper.Map(r, ReceivedAt).IsAccepted))
        {
            throw new InvalidOperationException($"The generated wor-export should have {WorRows} distinct rows that all map clean.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _worExport.Dispose();

    [Benchmark(Description = "housing-case/v1: map one case update")]
    public MappingResult<ReferralUpdate> MapHousingCase() => _housingCaseMapper.Map(_housingCase, ReceivedAt);

    [Benchmark(Description = "housing-referral/v1: map one referral")]
    public MappingResult<HousingReferral> MapHousingReferral() => HousingReferralMapper.Map(_housingReferral, ReceivedAt);

    [Benchmark(Description = "wor-export/v1: read one row (of 10,000)", OperationsPerInvoke = WorRows)]
    public int WorExportRead()
    {
        _worExport.Position = 0;
        using var reader = WorExportCsvReader.Open(_worExport);
        var rows = 0;
        foreach (var row in reader.ReadRows())
        {
            rows += row.Issues.Count == 0 ? 1 : 0;
        }

        return rows;
    }

    [Benchmark(Description = "wor-export/v1: read and map one row (of 10,000)", OperationsPerInvoke = WorRows)]
    public int WorExportReadAndMap()
    {
        _worExport.Position = 0;
        using var reader = WorExportCsvReader.Open(_worExport);
        var accepted = 0;
        foreach (var row in reader.ReadRows())
        {
            accepted += _worMapper.Map(row, ReceivedAt).IsAccepted ? 1 : 0;
        }

        return accepted;
    }

    private static StatusTranslation Statuses(string root, string conceptMap) =>
        new(new FhirJsonDeserializer().Deserialize<ConceptMap>(File.ReadAllText(Path.Combine(root, "profiles", conceptMap))));

    // The sample's header and its valid rows 1-4 repeated to 10,000 rows, each with its own
    // verwijzing_id (so its own content hash), written back as UTF-8 with a BOM like the sample.
    private static byte[] WorExport(string samplePath)
    {
        List<Dictionary<string, string>> valid;
        using (var stream = File.OpenRead(samplePath))
        using (var sample = WorExportCsvReader.Open(stream))
        {
            valid = [.. sample.ReadRows().Where(r => r.RowNumber <= 4).Select(r => new Dictionary<string, string>(r.Fields, StringComparer.Ordinal))];
        }

        var text = new StringBuilder();
        text.AppendJoin(';', WorExportColumns.All).Append('\n');
        for (var i = 0; i < WorRows; i++)
        {
            var fields = valid[i % valid.Count];
            fields[WorExportColumns.VerwijzingId] = "WOR-BENCH-" + i.ToString("D5", CultureInfo.InvariantCulture);
            text.AppendJoin(';', WorExportColumns.All.Select(column => Quoted(fields[column]))).Append('\n');
        }

        return [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    private static string Quoted(string value) =>
        value.AsSpan().IndexOfAny(";\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string SamplesFolder(string root)
    {
        string[] candidates = [Path.Combine(root, "..", "shared", "samples"), "/work/shared/samples"];
        return candidates.FirstOrDefault(Directory.Exists)
            ?? throw new InvalidOperationException("shared/samples not found; looked in " + string.Join(", ", candidates));
    }
}
