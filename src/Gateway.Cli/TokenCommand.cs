using System.CommandLine;
using System.Text.Json;

namespace Gateway.Cli;

/// <summary>
/// <c>gateway token</c>: finds the token endpoint in the gateway's SMART configuration, signs a
/// client assertion with the client's private key, and prints the access token it is granted.
/// </summary>
public static class TokenCommand
{
    public static Command Create()
    {
        var client = new Option<string>("--client") { Description = "The client id, as in the partners file", Required = true };
        var keys = new Option<FileInfo>("--keys") { Description = "JSON file of private JWKS by client id (like demo-client-keys.private.json)", Required = true };
        var scope = new Option<string>("--scope") { Description = "Scopes to ask for, e.g. \"system/Task.rs\"", DefaultValueFactory = _ => "system/*.rs" };
        // A string, not a Uri: System.CommandLine has no parser for Uri and threw on any --gateway given.
        var gateway = new Option<string>("--gateway") { Description = "The gateway's FHIR base", DefaultValueFactory = _ => "http://127.0.0.1:8080/fhir" };
        var command = new Command("token", "Get an access token for a client (SMART backend services)") { client, keys, scope, gateway };
        command.SetAction(async (parse, ct) =>
        {
            using var http = new HttpClient();
            var fhirBase = parse.GetValue(gateway)!.TrimEnd('/');
            var configuration = JsonDocument.Parse(await http.GetStringAsync($"{fhirBase}/.well-known/smart-configuration", ct));
            var tokenEndpoint = configuration.RootElement.GetProperty("token_endpoint").GetString()!;
            var clientId = parse.GetValue(client)!;
            var assertion = ClientAssertion.Sign(ClientAssertion.PrivateKey(parse.GetValue(keys)!.FullName, clientId), clientId, tokenEndpoint, TimeProvider.System);
            using var response = await http.PostAsync(tokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                ["client_assertion"] = assertion,
                ["scope"] = parse.GetValue(scope)!,
            }), ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                await Console.Error.WriteLineAsync($"The token endpoint refused ({(int)response.StatusCode}): {body}");
                return 1;
            }

            Console.WriteLine(JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString());
            return 0;
        });
        return command;
    }
}
