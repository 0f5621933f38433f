using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Cli;

/// <summary>
/// <c>gateway keys new</c>: makes a client's key pair, prints the public JWKS for the partners
/// file's <c>clients[].jwks</c>, and writes the private key into a keys file in the shape
/// <c>token --keys</c> reads (<c>{ "clientId": { "keys": [ … ] } }</c>), adding to one that exists.
/// </summary>
public static class KeysCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create(CliConsole console)
    {
        var client = new Option<string>("--client") { Description = "The client id the key is for, as in the partners file", Required = true };
        var alg = new Option<string>("--alg") { Description = "ES384 (EC P-384, the default) or RS384 (RSA 2048)", DefaultValueFactory = _ => KeyPair.Es384 };
        alg.AcceptOnlyFromAmong(KeyPair.Es384, KeyPair.Rs384);
        var kid = new Option<string?>("--kid") { Description = "The key id (default: <client>-<random>)" };
        var output = new Option<FileInfo?>("--out") { Description = "The private keys file to write or add to (default: <client>.private.json)" };
        var create = new Command("new", "Make a key pair for a client: prints the public JWKS, writes the private key") { client, alg, kid, output };
        create.SetAction((parse, ct) => GatewayCli.Guarded(console, async () =>
        {
            var clientId = parse.GetValue(client)!;
            var keyId = parse.GetValue(kid) ?? $"{clientId}-{Guid.NewGuid().ToString("N")[..8]}";
            var file = parse.GetValue(output) ?? new FileInfo($"{clientId}.private.json");
            var pair = KeyPair.Generate(parse.GetValue(alg)!, keyId);

            var keysFile = await ReadOrNewAsync(file, ct);
            keysFile[clientId] = new JsonObject { ["keys"] = new JsonArray(pair.PrivateJwk) };
            await WritePrivateAsync(file, keysFile.ToJsonString(Indented) + Environment.NewLine, ct);

            await console.Out.WriteLineAsync(new JsonObject { ["keys"] = new JsonArray(pair.PublicJwk) }.ToJsonString(Indented));
            await console.Error.WriteLineAsync(
                $"Private key of '{clientId}' (kid {keyId}) written to {file.FullName}; keep it secret. " +
                $"Put the JWKS above as \"jwks\" of the client {{ \"clientId\": \"{clientId}\", \"jwks\": …, \"scopes\": \"…\" }} in the partners file, " +
                $"then: gateway token --client {clientId} --keys {file.Name}");
            return ExitCodes.Ok;
        }));
        return new Command("keys", "Client signing keys") { create };
    }

    // Readable and writable by its owner only (0600), as ssh-keygen leaves a private key; a file that existed is narrowed too.
    private static async Task WritePrivateAsync(FileInfo file, string text, CancellationToken ct)
    {
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            if (file.Exists)
            {
                File.SetUnixFileMode(file.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        await using var stream = new FileStream(file.FullName, options);
        stream.SetLength(0);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(text.AsMemory(), ct);
    }

    private static async Task<JsonObject> ReadOrNewAsync(FileInfo file, CancellationToken ct)
    {
        if (!file.Exists)
        {
            return new JsonObject { ["_comment"] = "Private signing keys by client id (gateway keys new). Keep this file secret." };
        }

        try
        {
            return JsonNode.Parse(await File.ReadAllTextAsync(file.FullName, ct)) as JsonObject
                ?? throw new CliException($"{file.FullName} exists and is not a keys file (a JSON object of clients); say another --out.");
        }
        catch (JsonException e)
        {
            throw new CliException($"{file.FullName} exists and is not JSON ({e.Message}); say another --out.");
        }
    }
}
