using System.Net.Sockets;
using System.Text;
using Gateway.Testing;

namespace Gateway.Api.Tests.Records;

/// <summary>
/// <c>POST /records/batch</c> reads the whole file before it answers. A client that sends its whole
/// body before reading the answer (.NET's HttpClient over HTTP/1.1, so the CLI) and a gateway that
/// streamed its report while still reading deadlocked on a 100,000-row file: after ~9,500 rows the
/// report filled both sockets' buffers, each side waiting for the other.
/// </summary>
public sealed class BatchUploadTests(OneRecordChunksGatewayApp gateway) : IClassFixture<OneRecordChunksGatewayApp>
{
    [Fact]
    public async Task No_byte_of_the_answer_comes_before_the_last_byte_of_the_file()
    {
        using var welfare = await gateway.CreateClientAsync(TestPartners.Welfare);
        // The shared sample's rows four times over: the gateway flushes its report every four records.
        var sample = Samples.Read("wor-export/2026-10-31-wor-kampen.csv").ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        var file = Encoding.UTF8.GetBytes(string.Join("\n", sample.Take(1).Concat(Enumerable.Repeat(sample.Skip(1), 4).SelectMany(rows => rows))) + "\n");
        var half = file.Length / 2;
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(gateway.Root.Host, gateway.Root.Port);
        var stream = tcp.GetStream();
        var head = $"POST /records/batch?format=wor-export/v1 HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer {welfare.DefaultRequestHeaders.Authorization!.Parameter}\r\n"
            + $"Content-Type: text/csv; charset=utf-8\r\nContent-Length: {file.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(file.AsMemory(0, half));

        // The first half holds whole rows, and this gateway applies a chunk of one row: streaming as
        // it read, it would have answered and reported the first row by now.
        var early = new byte[1];
        var read = stream.ReadAsync(early).AsTask();
        var answeredEarly = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(3))) == read;
        await stream.WriteAsync(file.AsMemory(half));
        await read;
        var answer = (char)early[0] + await new StreamReader(stream, Encoding.UTF8).ReadToEndAsync();

        Assert.False(answeredEarly, "the gateway answered before the file was whole: " + answer);
        Assert.StartsWith("HTTP/1.1 200", answer, StringComparison.Ordinal);
        Assert.Contains("\"summary\":", answer, StringComparison.Ordinal);
    }
}
