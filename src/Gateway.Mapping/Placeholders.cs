using System.Security.Cryptography;
using System.Text;
using Hl7.Fhir.Model;

namespace Gateway.Mapping;

/// <summary>
/// References to things the mapping cannot know (resource ids, the partner's Organization), for the
/// caller to resolve. New resources get a <c>urn:uuid:</c> full URL, as in a FHIR transaction Bundle:
/// storing them in one transaction with these full URLs rewrites every reference to them. The UUID is
/// derived from the record's key, so a replayed record gives the same placeholders.
/// </summary>
public static class Placeholders
{
    public static string NewResource(string recordKey, string role)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(recordKey + "\n" + role));
        var bytes = hash.AsSpan(0, 16);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // RFC 9562 version 8: custom (name-based, SHA-256)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return "urn:uuid:" + new Guid(bytes, bigEndian: true).ToString("D");
    }

    /// <summary>
    /// A partner organisation by its id in the partners file (the record's <c>provider</c>); the caller
    /// replaces it with a literal reference to that partner's Organization.
    /// </summary>
    public static ResourceReference Partner(string partnerId) =>
        new() { Type = "Organization", Identifier = new Identifier(Canonicals.PartnerId, partnerId) };
}
