using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Gateway.Cli.Trace;

/// <summary>
/// <c>gateway trace &lt;taskId&gt;</c>: the whole history of one referral, oldest first (Task versions
/// with who wrote them, partner records, deliveries, Provenance), from the operator console's
/// <c>GET /console/api/referrals/{id}/timeline</c> with an operator's credential.
/// </summary>
public static class TraceCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(CliConsole console)
    {
        var task = new Argument<string>("taskId") { Description = "The referral: its Task id, referral number, ServiceRequest id or the GP's referral identifier" };
        var user = new Option<string>("--user") { Description = "An operator of the partners file", DefaultValueFactory = _ => "ops" };
        var passwordEnv = new Option<string>("--password-env")
        {
            Description = "The environment variable holding the operator's password",
            DefaultValueFactory = _ => "GATEWAY_OPS_PASSWORD",
        };
        var gateway = CommonOptions.Gateway();
        var json = new Option<bool>("--json") { Description = "Print the timeline as the console's JSON ({task, serviceRequest, events}) for scripts, instead of lines" };
        var command = new Command("trace", "Print the whole history of one referral (operators)") { task, user, passwordEnv, gateway, json };
        command.SetAction((parse, ct) => GatewayCli.Guarded(console, async () =>
        {
            var variable = parse.GetValue(passwordEnv)!;
            using var connection = GatewayConnection.To(parse.GetValue(gateway));
            // The sandbox's development password (in its sandbox.json) when the variable is not set and it is that operator.
            var password = Environment.GetEnvironmentVariable(variable) is { Length: > 0 } set ? set
                : connection.Found.Operator == parse.GetValue(user) ? connection.Found.OperatorPassword : null;
            if (string.IsNullOrEmpty(password))
            {
                throw new CliException($"Set the operator's password in the environment variable {variable} (or name another with --password-env).");
            }

            var id = parse.GetValue(task)!;
            using var request = new HttpRequestMessage(HttpMethod.Get, $"console/api/referrals/{Uri.EscapeDataString(id)}/timeline");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{parse.GetValue(user)}:{password}")));
            using var response = await connection.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new CliException(Refusal(response.StatusCode, body, parse.GetValue(user)!, variable), ExitCodes.Refused);
            }

            using var timeline = JsonDocument.Parse(body);
            if (parse.GetValue(json))
            {
                await console.Out.WriteLineAsync(JsonSerializer.Serialize(timeline.RootElement, Indented));
                return ExitCodes.Ok;
            }

            foreach (var line in TimelinePrinter.Lines(timeline.RootElement))
            {
                await console.Out.WriteLineAsync(line);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Refusal(HttpStatusCode status, string body, string user, string variable)
    {
        var detail = body;
        try
        {
            using var problem = JsonDocument.Parse(body);
            detail = problem.RootElement.TryGetProperty("detail", out var d) ? d.GetString() ?? body : body;
        }
        catch (JsonException)
        {
        }

        return status switch
        {
            HttpStatusCode.Unauthorized => $"The gateway refused the operator credential of '{user}' (401); check the user and the password in {variable}. {detail}",
            HttpStatusCode.NotFound when body.Length == 0 => "This gateway has no referral timeline (GET /console/api/referrals/{id}/timeline); is it an older version?",
            _ => $"The gateway answered {(int)status}: {detail}",
        };
    }
}
