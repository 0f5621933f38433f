using System.Text;
using System.Text.Json;

namespace Gateway.Cli.Send;

/// <summary>
/// Reads the record batch report as the gateway streams it (<c>{"format":…,"records":[{…},…],"summary":{…}}</c>,
/// PostRecordBatch), handing each record's report over as soon as its closing brace arrives, so a
/// long file shows its progress. Returns the whole text for the summary at the end.
/// </summary>
public static class BatchReportReader
{
    public static async Task<string> ReadAsync(Stream body, Func<JsonElement, Task> onRecord, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(onRecord);
        using var reader = new StreamReader(body, Encoding.UTF8);
        var text = new StringBuilder();
        var containers = new Stack<char>();
        var inString = false;
        var escaped = false;
        var recordStart = -1;
        var buffer = new char[8192];
        int read;
        while ((read = await reader.ReadAsync(buffer, ct)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                text.Append(c);
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
                    case '"':
                        inString = true;
                        break;
                    case '{' or '[':
                        // A record is an object directly inside the "records" array (root object, array, record).
                        if (c == '{' && containers.Count == 2 && containers.Peek() == '[')
                        {
                            recordStart = text.Length - 1;
                        }

                        containers.Push(c);
                        break;
                    case '}' or ']':
                        containers.TryPop(out _);
                        if (c == '}' && containers.Count == 2 && recordStart >= 0)
                        {
                            using var record = JsonDocument.Parse(text.ToString(recordStart, text.Length - recordStart));
                            await onRecord(record.RootElement);
                            recordStart = -1;
                        }

                        break;
                }
            }
        }

        return text.ToString();
    }
}
