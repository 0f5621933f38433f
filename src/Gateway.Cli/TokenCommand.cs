using System.CommandLine;

namespace Gateway.Cli;

/// <summary>
/// <c>gateway token</c>: finds the token endpoint in the gateway's SMART configuration, signs a
/// client assertion with the client's private key, and prints the access token it is granted
/// (or, with <c>--assertion</c>, the assertion itself, as the GP vendors' guide calls the token endpoint with curl).
/// </summary>
public static class TokenCommand
{
    public static Command Create(CliConsole console)
    {
        var client = new Option<string>("--client") { Description = "The client id, as in the partners file", Required = true };
        var keys = CommonOptions.Keys();
        var scope = new Option<string>("--scope") { Description = "Scopes to ask for, e.g. \"system/Task.rs\"", DefaultValueFactory = _ => "system/*.rs" };
        var gateway = CommonOptions.Gateway();
        var assertionOnly = new Option<bool>("--assertion") { Description = "Print a signed client assertion for the gateway's token endpoint instead of trading it, to call the endpoint yourself" };
        var command = new Command("token", "Get an access token for a client (SMART backend services)") { client, keys, scope, gateway, assertionOnly };
        command.SetAction((parse, ct) => GatewayCli.Guarded(console, async () =>
        {
            using var connection = GatewayConnection.To(parse.GetValue(gateway));
            if (parse.GetValue(assertionOnly))
            {
                await console.Out.WriteLineAsync((await connection.AssertionAsync(parse.GetValue(client)!, CommonOptions.KeysFile(parse.GetValue(keys)), ct)).Assertion);
                return ExitCodes.Ok;
            }

            var token = await connection.TokenAsync(parse.GetValue(client)!, CommonOptions.KeysFile(parse.GetValue(keys)), parse.GetValue(scope)!, ct);
            await console.Out.WriteLineAsync(token);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
