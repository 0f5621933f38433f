using System.Security.Cryptography;
using System.Text;
using Gateway.Fhir.Access;
using Gateway.Fhir.Serialization;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Bundles;

/// <summary>
/// What makes a transaction or batch Bundle the same one again (SPEC §3): the client that sent it,
/// its <c>Bundle.identifier</c>, and the hash of its canonical body (the parsed Bundle serialized
/// again, so whitespace, property order and JSON or XML do not count).
/// </summary>
public sealed record BundleKey(string ClientId, string System, string Value, string ContentHash)
{
    /// <summary>The key of <paramref name="bundle"/>, or null when it has no identifier with both system and value. Read it before processing, which rewrites entries.</summary>
    public static BundleKey? Of(Bundle bundle, CallingPartner? caller) =>
        bundle.Identifier is { System: { Length: > 0 } system, Value: { Length: > 0 } value }
            ? new BundleKey(caller?.ClientId ?? "gateway", system, value, Hash(bundle))
            : null;

    /// <summary>The advisory lock's text: copies from one client with one identifier take turns.</summary>
    public string LockText => $"bundle|{ClientId}|{System}|{Value}";

    private static string Hash(Bundle bundle) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(FhirSerialization.ToJson(bundle))));
}
