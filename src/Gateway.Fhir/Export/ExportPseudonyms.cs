using System.Security.Cryptography;
using System.Text;

namespace Gateway.Fhir.Export;

/// <summary>
/// An evaluator's pseudonyms: HMAC-SHA256 of <c>Type/id</c> under the evaluator's own secret
/// (table <c>export_pseudonym_key</c>), as 40 hex digits, a valid FHIR id. The same resource gets
/// the same pseudonym in every export of one evaluator and an unrelated one for every other, and
/// without the secret, which never leaves the gateway, nobody can go back to the id.
/// </summary>
public sealed class ExportPseudonyms(byte[] secret)
{
    private readonly Dictionary<string, string> _known = new(StringComparer.Ordinal);

    public string Of(string resourceType, string id)
    {
        var reference = resourceType + "/" + id;
        if (!_known.TryGetValue(reference, out var pseudonym))
        {
            var hash = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(reference));
            _known[reference] = pseudonym = Convert.ToHexStringLower(hash, 0, 20);
        }

        return pseudonym;
    }
}
