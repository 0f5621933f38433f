using System.Text;
using System.Text.Json;
using Gateway.Cli.Send;

namespace Gateway.Cli.Tests;

/// <summary>
/// The batch report as <c>gateway send</c> reads it: each record's report handed over whole, however the
/// bytes arrive and whatever its strings hold, and the summary read from what is left.
/// </summary>
public sealed class BatchReportReaderTests
{
    [Fact]
    public async Task Each_record_is_handed_over_and_the_summary_is_kept_without_the_records()
    {
        const string report = """
            {"format":"wor-export/v1","records":[{"row":1,"outcome":"accepted","produced":["Task/a"]},{"row":2,"outcome":"rejected","issues":[{"code":"invalid","location":"row 2, status","message":"'{\"x\":[1,2]}' is not a status, nor is \"é\\\""}]},{"row":3,"outcome":"unchanged","note":"Already applied; this copy changed nothing."}],"summary":{"accepted":1,"unchanged":1,"rejected":1}}
            """;
        var records = new List<string>();

        // Seven bytes a read: records, strings and escapes are cut across reads.
        var rest = await BatchReportReader.ReadAsync(new TrickleStream(Encoding.UTF8.GetBytes(report), 7), record =>
        {
            records.Add(record.GetRawText());
            return Task.CompletedTask;
        }, CancellationToken.None);

        using var whole = JsonDocument.Parse(report);
        Assert.Equal(whole.RootElement.GetProperty("records").EnumerateArray().Select(r => r.GetRawText()), records);
        Assert.Equal("""{"format":"wor-export/v1","records":[],"summary":{"accepted":1,"unchanged":1,"rejected":1}}""", rest);
    }

    /// <summary>A response body that gives at most <paramref name="step"/> bytes a read.</summary>
    private sealed class TrickleStream(byte[] bytes, int step) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(step, buffer.Length)], cancellationToken);
    }
}
