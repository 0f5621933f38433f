using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Gateway.Cli.Send;

/// <summary>
/// Reads the record batch report as the gateway streams it (<c>{"format":…,"records":[{…},…],"summary":{…}}</c>,
/// PostRecordBatch), handing each record's report over as soon as its closing brace arrives, so a
/// long file shows its progress. Returns the report without its records (<c>{"format":…,"records":[],"summary":{…}}</c>)
/// for the summary at the end: a 100,000-row file's report is some 25 MB, and keeping it all to read
/// the summary cost the sender as much CPU as handing over every record (issue 18).
/// </summary>
public static class BatchReportReader
{
    public static async Task<string> ReadAsync(Stream body, Func<JsonElement, Task> onRecord, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(onRecord);
        // JSON's structure is ASCII, so the UTF-8 bytes are scanned as they come; only a record's own bytes are parsed.
        var rest = new ArrayBufferWriter<byte>();
        var record = new ArrayBufferWriter<byte>();
        var containers = new Stack<byte>();
        var inString = false;
        var escaped = false;
        var inRecord = false;
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            // The bytes from here on are not yet copied to the record or to the rest.
            var from = 0;
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (inString)
                {
                    if (escaped)
                    {
                        escaped = false;
                    }
                    else if (c == '\\')
                    {
                        escaped = true;
                    }
                    else if (c == '"')
                    {
                        inString = false;
                    }

                    continue;
                }

                switch (c)
                {
                    case (byte)'"':
                        inString = true;
                        break;
                    case (byte)'{' or (byte)'[':
                        // A record is an object directly inside the "records" array (root object, array, record).
                        if (c == '{' && InRecordsArray(containers))
                        {
                            rest.Write(buffer.AsSpan(from, i - from));
                            from = i;
                            inRecord = true;
                        }

                        containers.Push(c);
                        break;
                    case (byte)'}' or (byte)']':
                        containers.TryPop(out _);
                        if (c == '}' && inRecord && InRecordsArray(containers))
                        {
                            record.Write(buffer.AsSpan(from, i + 1 - from));
                            from = i + 1;
                            inRecord = false;
                            await HandOverAsync(record, onRecord);
                        }

                        break;
                    case (byte)',' when !inRecord && InRecordsArray(containers):
                        // The commas between records go with them: what is left is "records":[].
                        rest.Write(buffer.AsSpan(from, i - from));
                        from = i + 1;
                        break;
                }
            }

            (inRecord ? record : rest).Write(buffer.AsSpan(from, read - from));
        }

        return Encoding.UTF8.GetString(rest.WrittenSpan);
    }

    private static bool InRecordsArray(Stack<byte> containers) => containers.Count == 2 && containers.Peek() == '[';

    private static async Task HandOverAsync(ArrayBufferWriter<byte> record, Func<JsonElement, Task> onRecord)
    {
        using (var document = JsonDocument.Parse(record.WrittenMemory))
        {
            await onRecord(document.RootElement);
        }

        record.ResetWrittenCount();
    }
}
