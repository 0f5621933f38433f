using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Cli;

/// <summary>
/// A new signing key for a SMART backend-services client as JWKs: EC P-384 for ES384 or RSA 2048 for
/// RS384 (the two algorithms the gateway's token endpoint takes, SPEC §8).
/// </summary>
public sealed record KeyPair(JsonObject PublicJwk, JsonObject PrivateJwk)
{
    public const string Es384 = "ES384";
    public const string Rs384 = "RS384";

    public static KeyPair Generate(string algorithm, string kid) => algorithm switch
    {
        Es384 => Ec(kid),
        Rs384 => Rsa(kid),
        _ => throw new CliException($"--alg {algorithm} is not one the gateway takes; use {Es384} or {Rs384}."),
    };

    private static KeyPair Ec(string kid)
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var p = ec.ExportParameters(includePrivateParameters: true);
        var shared = new JsonObject { ["kty"] = "EC", ["crv"] = "P-384", ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!) };
        return Pair(shared, new JsonObject { ["d"] = B64(p.D!) }, kid, Es384);
    }

    private static KeyPair Rsa(string kid)
    {
        using var rsa = RSA.Create(2048);
        var p = rsa.ExportParameters(includePrivateParameters: true);
        var shared = new JsonObject { ["kty"] = "RSA", ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!) };
        var secret = new JsonObject
        {
            ["d"] = B64(p.D!), ["p"] = B64(p.P!), ["q"] = B64(p.Q!), ["dp"] = B64(p.DP!), ["dq"] = B64(p.DQ!), ["qi"] = B64(p.InverseQ!),
        };
        return Pair(shared, secret, kid, Rs384);
    }

    private static KeyPair Pair(JsonObject shared, JsonObject secret, string kid, string alg)
    {
        var labels = new JsonObject { ["kid"] = kid, ["alg"] = alg, ["use"] = "sig" };
        var publicJwk = Merge(shared, labels);
        var privateJwk = Merge(shared, secret, labels);
        return new KeyPair(publicJwk, privateJwk);
    }

    private static JsonObject Merge(params JsonObject[] parts)
    {
        var merged = new JsonObject();
        foreach (var (name, value) in parts.SelectMany(p => p))
        {
            merged[name] = value?.DeepClone();
        }

        return merged;
    }

    private static string B64(byte[] bytes) => Base64UrlEncoder.Encode(bytes);
}
