using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gateway.Fhir.Records;

/// <summary>
/// What the gateway needs of a JSON record before mapping it, read leniently so that even a
/// broken record can be stored and answered: its format, its idempotency key (messageId, or the
/// hash of the body when it has none) and the provider it claims to come from.
/// </summary>
public sealed record RecordEnvelope(string Format, string Key, string? Provider)
{
    public const string UnknownFormat = "unknown";

    public static RecordEnvelope Read(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return new RecordEnvelope(Text(root, "format") ?? UnknownFormat, Text(root, "messageId") ?? Hash(json), Text(root, "provider"));
        }
        catch (JsonException)
        {
            return new RecordEnvelope(UnknownFormat, Hash(json), null);
        }
    }

    public static string Hash(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
