using System.Text;
using System.Text.Json;
using System.Xml;
using Gateway.Fhir.Records;
using Gateway.Mapping.WorExport;

namespace Gateway.Cli;

/// <summary>What kind of file the user gave, told from its content (and a .csv name).</summary>
public enum FileKind
{
    /// <summary>A FHIR resource or Bundle, JSON or XML.</summary>
    FhirResource,

    /// <summary>One partner record in JSON whose <c>format</c> the gateway reads (housing-case/v1, housing-referral/v1).</summary>
    Record,

    /// <summary>A JSON array of partner records of one format.</summary>
    RecordArray,

    /// <summary>A welfare organisation's wor-export/v1 CSV file.</summary>
    WorExportCsv,

    /// <summary>A partners file (Gateway:PartnersFile): read at the gateway's start, never sent.</summary>
    PartnersFile,

    /// <summary>A private keys file (what <c>keys new</c> writes): never sent anywhere.</summary>
    ClientKeys,

    /// <summary>A referral/v1 message: what the gateway sends to partners, not something it receives.</summary>
    OutboundReferral,
}

/// <param name="Format">The record format (records, arrays and CSV files).</param>
/// <param name="ResourceType">The FHIR resource type (FHIR files).</param>
/// <param name="BundleType">A Bundle's type, e.g. transaction.</param>
public sealed record InputFile(string Path, FileKind Kind, byte[] Bytes, string? Format = null, string? ResourceType = null, string? BundleType = null, bool IsXml = false)
{
    public const string OutboundReferralFormat = "referral/v1";

    public static string KnownKinds =>
        "a FHIR resource or Bundle (JSON or XML, with resourceType), a partner record in JSON with its format field "
        + $"({string.Join(", ", RecordMappers.SentBy.Keys.Where(f => f != WorExportCsvReader.Format))}), a JSON array of such records, "
        + $"a {WorExportCsvReader.Format} CSV file (.csv), or a partners file (validate only)";

    public string Text => new UTF8Encoding(false).GetString(Bytes.AsSpan(Bytes.AsSpan().StartsWith(Bom) ? Bom.Length : 0));

    public bool IsTransaction => BundleType is "transaction" or "batch";

    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    public static InputFile Read(string path)
    {
        if (Directory.Exists(path))
        {
            throw new CliException($"{path} is a folder; give one file.");
        }

        if (!File.Exists(path))
        {
            throw new CliException($"The file {System.IO.Path.GetFullPath(path)} does not exist.");
        }

        var bytes = File.ReadAllBytes(path);
        var file = new InputFile(path, FileKind.FhirResource, bytes);
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return file with { Kind = FileKind.WorExportCsv, Format = WorExportCsvReader.Format };
        }

        var text = file.Text.TrimStart();
        return text.StartsWith('<') ? FromXml(file, text) : FromJson(file);
    }

    private static InputFile FromXml(InputFile file, string text)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            reader.MoveToContent();
            var type = reader.LocalName;
            string? bundleType = null;
            if (type == "Bundle")
            {
                while (reader.Read())
                {
                    if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "type" && reader.Depth == 1)
                    {
                        bundleType = reader.GetAttribute("value");
                        break;
                    }
                }
            }

            return file with { ResourceType = type, BundleType = bundleType, IsXml = true };
        }
        catch (XmlException)
        {
            // Broken XML is still FHIR XML to send or validate; the parser says what is wrong with it.
            return file with { IsXml = true };
        }
    }

    private static InputFile FromJson(InputFile file)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(file.Text, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            if (!file.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                throw Unknown(file, "neither JSON, XML nor CSV");
            }

            throw new CliException($"{file.Path} is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message} Known kinds of file: {KnownKinds}.", ExitCodes.Refused);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                var formats = root.EnumerateArray().Select(e => String(e, "format")).Distinct().ToList();
                return formats is [{ } format] && RecordMappers.SentBy.ContainsKey(format)
                    ? file with { Kind = FileKind.RecordArray, Format = format }
                    : throw Unknown(file, "a JSON array, but not of records of one known format");
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Unknown(file, $"JSON {root.ValueKind}");
            }

            if (String(root, "resourceType") is { } type)
            {
                return file with { ResourceType = type, BundleType = String(root, "type") };
            }

            if (String(root, "format") is { } recordFormat)
            {
                return recordFormat == OutboundReferralFormat ? file with { Kind = FileKind.OutboundReferral, Format = recordFormat }
                    : RecordMappers.SentBy.ContainsKey(recordFormat) ? file with { Kind = FileKind.Record, Format = recordFormat }
                    : throw Unknown(file, $"a record of format '{recordFormat}', which the gateway does not read");
            }

            if (root.TryGetProperty("partners", out var partners) && partners.ValueKind == JsonValueKind.Array)
            {
                return file with { Kind = FileKind.PartnersFile };
            }

            if (root.EnumerateObject().Any(p => p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("keys", out _)))
            {
                return file with { Kind = FileKind.ClientKeys };
            }

            throw Unknown(file, "JSON with neither resourceType nor format");
        }
    }

    private static CliException Unknown(InputFile file, string what) =>
        new($"{file.Path} is {what}: not a kind of file the gateway tool knows. Known kinds: {KnownKinds}.");

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
