using System.Text;
using Gateway.Mapping.WorExport;

namespace Gateway.Mapping.Tests.WorExport;

public sealed class WorExportCsvReaderTests
{
    private const string Header =
        "verwijzing_id;verwijzer_agb;achternaam;geboortedatum;postcode;status;status_datum;welzijnscoach;arrangement;pg_meetdatum;"
        + "pg_lichaamsfuncties;pg_mentaal_welbevinden;pg_zingeving;pg_kwaliteit_van_leven;pg_meedoen;pg_dagelijks_functioneren;toestemming_delen;terugkoppeling";

    private const string Row = "WOR-1;01234567;de Vries;14-02-1948;8261 AB;intake_gehad;02-10-2026;A. Bakker;;;;;;;;;ja;Goed gesprek";

    private static (IReadOnlyList<RecordIssue> FileIssues, List<WorExportRow> Rows) ReadText(string text)
    {
        using var reader = WorExportCsvReader.Open(new StringReader(text));
        var fileIssues = reader.ReadHeader();
        return (fileIssues, reader.ReadRows().ToList());
    }

    private static (IReadOnlyList<RecordIssue> FileIssues, List<WorExportRow> Rows) ReadBytes(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        using var reader = WorExportCsvReader.Open(stream);
        var fileIssues = reader.ReadHeader();
        return (fileIssues, reader.ReadRows().ToList());
    }

    [Fact]
    public void Sample_file_yields_six_rows_numbered_from_one_after_the_header()
    {
        using var stream = File.OpenRead(TestFiles.SamplePath("wor-export/2026-10-31-wor-kampen.csv"));
        using var reader = WorExportCsvReader.Open(stream);

        Assert.Empty(reader.ReadHeader());
        var rows = reader.ReadRows().ToList();

        Assert.Equal([1, 2, 3, 4, 5, 6], rows.Select(r => r.RowNumber));
        // Row 2 holds a line break in a quoted field, so every later row starts a line further down.
        Assert.Equal([2, 3, 5, 6, 7, 8], rows.Select(r => r.LineNumber));
        Assert.Equal("WOR-2026-0091", rows[0][WorExportColumns.VerwijzingId]);
        Assert.All(rows, r => Assert.Empty(r.Issues));
    }

    [Fact]
    public void Rows_are_counted_as_read_line_breaks_in_quotes_and_all_up_to_a_limit()
    {
        using var counted = File.OpenRead(TestFiles.SamplePath("wor-export/2026-10-31-wor-kampen.csv"));
        using var stopped = File.OpenRead(TestFiles.SamplePath("wor-export/2026-10-31-wor-kampen.csv"));

        // Six rows on eight lines (row 2 holds a line break in a quoted field), as ReadRows gives them.
        Assert.Equal(6, WorExportCsvReader.Open(counted).CountRows());
        Assert.Equal(4, WorExportCsvReader.Open(stopped).CountRows(upTo: 4));
        Assert.Equal(0, WorExportCsvReader.Open(new StringReader("achternaam;bsn\nde Vries;123\n")).CountRows());
    }

    [Fact]
    public void Byte_order_mark_or_none_reads_the_same_rows()
    {
        var text = Header + "\r\n" + Row + "\r\n";
        var withBom = ReadBytes([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)]);
        var withoutBom = ReadBytes(Encoding.UTF8.GetBytes(text));
        var bomAsCharacter = ReadText("\uFEFF" + text);

        Assert.Empty(withBom.FileIssues);
        Assert.Empty(withoutBom.FileIssues);
        Assert.Empty(bomAsCharacter.FileIssues);
        Assert.Equal("WOR-1", withBom.Rows.Single()[WorExportColumns.VerwijzingId]);
        Assert.Equal(withoutBom.Rows.Single().ContentHash, withBom.Rows.Single().ContentHash);
        Assert.Equal(withoutBom.Rows.Single().ContentHash, bomAsCharacter.Rows.Single().ContentHash);
    }

    [Fact]
    public void Quoted_field_keeps_its_semicolons_and_line_breaks()
    {
        var (_, rows) = ReadText(Header + "\n" + Row.Replace("Goed gesprek", "\"Eén; twee\r\ndrie \"\"vier\"\"\"", StringComparison.Ordinal) + "\n");

        var row = Assert.Single(rows);
        Assert.Empty(row.Issues);
        Assert.Equal("Eén; twee\r\ndrie \"vier\"", row[WorExportColumns.Terugkoppeling]);
    }

    [Fact]
    public void Content_hash_is_the_one_earlier_releases_stored_so_a_resent_row_stays_unchanged()
    {
        // Hashes the gateway has stored for these rows since the first release: a row sent again after an upgrade must
        // hash the same, or it would be applied again instead of reported unchanged.
        var (_, plain) = ReadText(Header + "\n" + Row);
        var (_, accented) = ReadText(Header + "\n" + Row.Replace("Goed gesprek", "\"Eén; twee\r\ndrie \"\"vier\"\" 😀 \"", StringComparison.Ordinal)
            .Replace("8261 AB;intake_gehad;02-10-2026;A. Bakker;;;;;;;;", "8261 AB;intake_gehad;02-10-2026;A. Bakker;;12-10-2026;7;8;6;7;9;8", StringComparison.Ordinal));

        Assert.Equal("22c9a0759175bf57f647f2c6965c17f47bd5da204689674f8d3d8ee86288920f", plain[0].ContentHash);
        Assert.Equal("6e54d4654e20c3718d2e7a981e51351c6edb100f3f9ee27ea7f7a164b4e85719", accented[0].ContentHash);
    }

    [Fact]
    public void Content_hash_ignores_line_endings_and_surrounding_spaces_but_not_values()
    {
        var (_, lf) = ReadText(Header + "\n" + Row.Replace("Goed gesprek", "\"a\nb\"", StringComparison.Ordinal));
        var (_, crlf) = ReadText(Header + "\r\n" + Row.Replace("Goed gesprek", "\"a\r\nb \"", StringComparison.Ordinal));
        var (_, other) = ReadText(Header + "\n" + Row.Replace("Goed gesprek", "\"a\nc\"", StringComparison.Ordinal));

        Assert.Equal(lf[0].ContentHash, crlf[0].ContentHash);
        Assert.NotEqual(lf[0].ContentHash, other[0].ContentHash);
        Assert.Matches("^[0-9a-f]{64}$", lf[0].ContentHash);
    }

    [Fact]
    public void Columns_in_another_order_read_by_name()
    {
        var columns = Header.Split(';');
        var values = Row.Split(';');
        var (fileIssues, rows) = ReadText(string.Join(';', columns.Reverse()) + "\n" + string.Join(';', values.Reverse()));

        Assert.Empty(fileIssues);
        Assert.Equal("de Vries", rows.Single()[WorExportColumns.Achternaam]);
        Assert.Equal(ReadText(Header + "\n" + Row).Rows[0].ContentHash, rows[0].ContentHash);
    }

    [Fact]
    public void Empty_file_is_refused_with_a_header_issue()
    {
        var (fileIssues, rows) = ReadText("");

        var issue = Assert.Single(fileIssues);
        Assert.Equal(("required", "header"), (issue.CodeText, issue.Location));
        Assert.Empty(rows);
    }

    [Fact]
    public void Wrong_header_names_each_unknown_and_missing_column_and_yields_no_rows()
    {
        var (fileIssues, rows) = ReadText(Header.Replace("achternaam", "surname", StringComparison.Ordinal) + "\n" + Row);

        Assert.Equal(
            [("unknown-field", "header, column surname"), ("required", "header, column achternaam")],
            fileIssues.Select(i => (i.CodeText, i.Location)));
        Assert.Empty(rows);
    }

    [Fact]
    public void Bsn_column_is_refused_for_the_whole_file()
    {
        var (fileIssues, rows) = ReadText("bsn;" + Header + "\n999911120;" + Row);

        var issue = Assert.Single(fileIssues);
        Assert.Equal(("not-allowed", "header, column bsn"), (issue.CodeText, issue.Location));
        Assert.Contains("BSN", issue.Message, StringComparison.Ordinal);
        Assert.Empty(rows);
    }

    [Fact]
    public void Row_with_too_few_fields_has_an_issue_and_the_next_row_is_still_read()
    {
        var (_, rows) = ReadText(Header + "\nWOR-1;01234567;de Vries\n" + Row.Replace("WOR-1", "WOR-2", StringComparison.Ordinal));

        var issue = Assert.Single(rows[0].Issues);
        Assert.Equal(("invalid-format", "row 1"), (issue.CodeText, issue.Location));
        Assert.Contains("3 fields; expected 18", issue.Message, StringComparison.Ordinal);
        Assert.Empty(rows[1].Issues);
        Assert.Equal("WOR-2", rows[1][WorExportColumns.VerwijzingId]);
    }

    [Fact]
    public async Task Rows_read_asynchronously_match_the_synchronous_ones()
    {
        var bytes = await File.ReadAllBytesAsync(TestFiles.SamplePath("wor-export/2026-10-31-wor-kampen.csv"));
        await using var reader = WorExportCsvReader.Open(new MemoryStream(bytes));

        Assert.Empty(await reader.ReadHeaderAsync());
        var hashes = new List<string>();
        await foreach (var row in reader.ReadRowsAsync())
        {
            hashes.Add(row.ContentHash);
        }

        Assert.Equal(ReadBytes(bytes).Rows.Select(r => r.ContentHash), hashes);
    }
}
