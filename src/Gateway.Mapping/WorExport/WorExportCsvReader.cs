using System.Runtime.CompilerServices;
using CsvHelper;

namespace Gateway.Mapping.WorExport;

/// <summary>
/// Reads a wor-export/v1 file row by row (RFC 4180 quoting, <c>;</c> separator, UTF-8 with or without
/// BOM, line breaks inside quoted fields) without holding the file in memory. The caller owns the
/// stream or text reader and disposes it. Call <see cref="ReadHeader"/> first: a file whose header is
/// missing, lacks a column, has an unknown one or a BSN column is refused whole and yields no rows.
/// </summary>
public sealed class WorExportCsvReader : IDisposable, IAsyncDisposable
{
    public const string Format = "wor-export/v1";

    private readonly CsvReader _csv;
    private readonly Dictionary<int, string> _malformed = [];
    private int[]? _columnIndexes;
    private IReadOnlyList<RecordIssue>? _fileIssues;

    private WorExportCsvReader(Func<CsvReaderOptions, CsvReader> create, int? maxRowBytes = null)
    {
        var options = new CsvReaderOptions
        {
            // A longer row throws CsvFormatException instead of growing the buffer without end.
            MaxRecordSize = maxRowBytes,
            Separator = ';',
            HasHeader = true,
            Mode = CsvMode.Rfc4180,
            AllowLineBreaksInQuotes = true,
            TrackLineNumbers = true,
            DetectSeparatorHint = false,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            MalformedData = CsvMalformedDataHandling.Recover,
            // RecordNumber counts the header, so data row n is record n + 1.
            OnMalformedRecord = record => _malformed[(int)record.RecordNumber - 1] = record.Reason.ToString(),
        };
        _csv = create(options);
    }

    public static WorExportCsvReader Open(Stream stream, int? maxRowBytes = null) => new(options => CsvReader.Create(stream, options, leaveOpen: true), maxRowBytes);

    public static WorExportCsvReader Open(TextReader reader) => new(options => CsvReader.Create(reader, options, leaveOpen: true));

    /// <summary>Reads and checks the header; the issues are the file's, located <c>header</c> or <c>header, column x</c>.</summary>
    public IReadOnlyList<RecordIssue> ReadHeader()
    {
        if (_fileIssues is null)
        {
            _csv.ReadHeader();
            CheckHeader();
        }

        return _fileIssues!;
    }

    public async Task<IReadOnlyList<RecordIssue>> ReadHeaderAsync(CancellationToken cancellationToken = default)
    {
        if (_fileIssues is null)
        {
            await _csv.ReadHeaderAsync(cancellationToken);
            CheckHeader();
        }

        return _fileIssues!;
    }

    /// <summary>The data rows, one at a time; none when the header has issues.</summary>
    public IEnumerable<WorExportRow> ReadRows()
    {
        if (ReadHeader().Count > 0)
        {
            yield break;
        }

        while (_csv.Read())
        {
            yield return CurrentRow();
        }
    }

    /// <summary>
    /// How many data rows <see cref="ReadRows"/> would give, counting no further than <paramref name="upTo"/>, without
    /// reading their fields (a progress bar's total: a 100,000-row file's rows made and hashed for a count cost its sender a second of CPU).
    /// </summary>
    public int CountRows(int upTo = int.MaxValue)
    {
        if (ReadHeader().Count > 0)
        {
            return 0;
        }

        var count = 0;
        while (count < upTo && _csv.Read())
        {
            count++;
        }

        return count;
    }

    public async IAsyncEnumerable<WorExportRow> ReadRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if ((await ReadHeaderAsync(cancellationToken)).Count > 0)
        {
            yield break;
        }

        while (await _csv.ReadAsync(cancellationToken))
        {
            yield return CurrentRow();
        }
    }

    public void Dispose() => _csv.Dispose();

    public ValueTask DisposeAsync() => _csv.DisposeAsync();

    private void CheckHeader()
    {
        var check = WorExportHeader.Check(_csv.Headers);
        _columnIndexes = check.ColumnIndexes;
        _fileIssues = check.Issues;
    }

    private WorExportRow CurrentRow()
    {
        var rowNumber = (int)_csv.RowNumber;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < WorExportColumns.Known.Count; i++)
        {
            fields[WorExportColumns.Known[i]] = _columnIndexes![i] < 0 ? "" : _csv.GetString(_columnIndexes[i]);
        }

        var issues = new List<RecordIssue>();
        if (_csv.FieldCount != _csv.Headers.Count)
        {
            issues.Add(new(RecordIssueCode.InvalidFormat, $"row {rowNumber}", $"The row has {_csv.FieldCount} fields; expected {_csv.Headers.Count}, one per header column (quote a value that holds ';' or a line break)."));
        }

        if (_malformed.Remove(rowNumber, out var reason))
        {
            issues.Add(new(RecordIssueCode.InvalidFormat, $"row {rowNumber}", $"The row's quoting is malformed ({reason}); a quoted value starts and ends with \" and doubles any \" inside it."));
        }

        return new WorExportRow(rowNumber, (int)_csv.LineNumber, WorExportRow.Hash(fields), fields, issues);
    }
}
