using System.Text.Json;
using Gateway.Mapping.HousingCase;
using Gateway.Mapping.HousingReferral;
using Gateway.Mapping.WorExport;

namespace Gateway.Cli.Send;

/// <summary>
/// Where a file goes and as whom: the route and content type for its kind, the sandbox's demo
/// client that sends such files, and the scopes the request needs.
/// </summary>
public sealed record SendPlan(string Path, string ContentType, string DemoClient, string Scope, bool IsBatch)
{
    public const string GpDemoClient = "hillside-emis";

    public static SendPlan For(InputFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return file.Kind switch
        {
            FileKind.FhirResource => Fhir(file),
            FileKind.Record => new("records", "application/json", DemoClientFor(file.Format!), RecordsScope, IsBatch: false),
            FileKind.RecordArray or FileKind.WorExportCsv => new($"records/batch?format={Uri.EscapeDataString(file.Format!)}",
                file.Kind == FileKind.WorExportCsv ? "text/csv" : "application/json", DemoClientFor(file.Format!), RecordsScope, IsBatch: true),
            FileKind.PartnersFile => throw NotSent(file, "a partners file: the gateway reads it at start (Gateway:PartnersFile). Check it with: gateway validate " + file.Path),
            FileKind.ClientKeys => throw NotSent(file, "a private keys file: it stays with the client, for --keys. Never send it anywhere"),
            FileKind.OutboundReferral => throw NotSent(file, $"a {InputFile.OutboundReferralFormat} message: what the gateway sends to partners (webhook, GET /records/referrals), not something it receives"),
            _ => throw new ArgumentOutOfRangeException(nameof(file), file.Kind, null),
        };
    }

    private const string RecordsScope = "gateway/records.write";

    private static SendPlan Fhir(InputFile file)
    {
        var contentType = file.IsXml ? "application/fhir+xml" : "application/fhir+json";
        var type = file.ResourceType ?? "Bundle";
        return file.IsTransaction
            ? new("fhir", contentType, GpDemoClient, BundleScope(file), IsBatch: false)
            : new($"fhir/{type}", contentType, GpDemoClient, TypeScope(type, "c"), IsBatch: false);
    }

    // What each entry's interaction needs alone (as the gateway's BundleScopes checks), plus read and
    // search for conditional entries; the token endpoint narrows it to what the client may have.
    private static string BundleScope(InputFile file)
    {
        if (file.IsXml)
        {
            return "system/*.cruds";
        }

        var permissions = new SortedDictionary<string, HashSet<char>>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(file.Text);
        if (document.RootElement.TryGetProperty("entry", out var entries) && entries.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in entries.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("request", out var request) || request.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var url = request.TryGetProperty("url", out var u) ? u.GetString() ?? "" : "";
                var method = request.TryGetProperty("method", out var m) ? m.GetString() ?? "" : "";
                var type = url.Split('/', '?')[0];
                if (type.Length == 0)
                {
                    continue;
                }

                var letters = permissions.TryGetValue(type, out var known) ? known : permissions[type] = [];
                foreach (var letter in method switch { "POST" => "crs", "PUT" or "PATCH" => "urs", "DELETE" => "d", _ => "rs" })
                {
                    letters.Add(letter);
                }
            }
        }

        return permissions.Count == 0 ? "system/*.rs"
            : string.Join(' ', permissions.Select(p => $"system/{p.Key}.{string.Concat("cruds".Where(p.Value.Contains))}"));
    }

    private static string TypeScope(string type, string permission) => $"system/{type}.{permission}";

    private static string DemoClientFor(string format) => format switch
    {
        HousingCaseMapper.Format or HousingReferralMapper.Format => "hfactor-crm",
        WorExportCsvReader.Format => "wor-kampen",
        _ => GpDemoClient,
    };

    private static CliException NotSent(InputFile file, string what) => new($"{file.Path} is {what}.");
}
