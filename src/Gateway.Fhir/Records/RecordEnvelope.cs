using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gateway.Fhir.Records;

/// <summary>
/// What the gateway needs of a JSON record before mapping it, read leniently so that even a
/// broken record can be stored and answered: its format, its idempotency key (messageId, or the
/// hash of the body when it has none), the provider it claims to come from, and the referral it
/// names (<see cref="ReferralNamed"/>), all in one parse.
/// </summary>
public sealed record RecordEnvelope(string Format, string Key, string? Provider, RecordEnvelope.ReferralNamed? Referral = null)
{
    public const string UnknownFormat = "unknown";

    /// <summary>
    /// How a housing-case/v1 record names its referral (<c>referral.gatewayTaskId</c>, or else
    /// <c>referral.serviceRequestIdentifier</c> as <c>system|value</c>), trimmed; read before any
    /// lookup, for <see cref="ChunkReferralKeys"/> to keep two chunks of one referral apart.
    /// </summary>
    public sealed record ReferralNamed(string Naming, string Key);

    public static RecordEnvelope Read(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return new RecordEnvelope(Text(root, "format") ?? UnknownFormat, Text(root, "messageId") ?? Hash(json), Text(root, "provider"), ReferralOf(root));
        }
        catch (JsonException)
        {
            return new RecordEnvelope(UnknownFormat, Hash(json), null);
        }
    }

    public static string Hash(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static ReferralNamed? ReferralOf(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("referral", out var referral) || referral.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (referral.TryGetProperty("gatewayTaskId", out var task) && task.ValueKind == JsonValueKind.String)
        {
            return new ReferralNamed("gatewayTaskId", task.GetString()!.Trim());
        }

        if (referral.TryGetProperty("serviceRequestIdentifier", out var identifier) && identifier.ValueKind == JsonValueKind.Object)
        {
            return new ReferralNamed("serviceRequestIdentifier", $"{Text(identifier, "system")?.Trim()}|{Text(identifier, "value")?.Trim()}");
        }

        return null;
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
