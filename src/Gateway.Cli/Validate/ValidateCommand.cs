using System.CommandLine;

namespace Gateway.Cli.Validate;

/// <summary>
/// <c>gateway validate &lt;file&gt;</c>: offline, with the gateway's own validator and mappers
/// (<see cref="OfflineValidator"/>). Prints every issue with its location; exit 0 valid, 1 invalid.
/// </summary>
public static class ValidateCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("file") { Description = "The file to validate" };
        var profiles = new Option<DirectoryInfo?>("--profiles") { Description = "The gateway's conformance resources (default: the profiles/ this tool was built with)" };
        var at = new Option<DateTimeOffset?>("--at")
        {
            Description = "Validate as if the file were received at this instant (ISO 8601; default: now). The gateway refuses records dated after their receipt.",
        };
        var command = new Command("validate", "Validate a FHIR resource, a partner record or a wor-export CSV offline, as the gateway would") { file, profiles, at };
        command.SetAction((parse, ct) => GatewayCli.Guarded(console, async () =>
        {
            var input = InputFile.Read(parse.GetValue(file)!);
            var validator = new OfflineValidator(parse.GetValue(profiles)?.FullName ?? OfflineValidator.DefaultProfilesFolder,
                parse.GetValue(at) is { } instant ? new FixedClock(instant) : TimeProvider.System);
            var results = validator.Validate(input);
            var invalid = 0;
            foreach (var (name, findings) in results)
            {
                var errors = findings.Count(f => f.IsError);
                invalid += errors > 0 ? 1 : 0;
                await console.Out.WriteLineAsync($"{name}: {(errors > 0 ? $"invalid, {errors} error(s)" : "valid")}");
                foreach (var finding in findings)
                {
                    await console.Out.WriteLineAsync(finding.ToString());
                }
            }

            await console.Out.WriteLineAsync(results.Count == 1
                ? $"{input.Path}: {(invalid == 0 ? "valid" : "invalid")}"
                : $"{input.Path}: {results.Count - invalid} of {results.Count} valid");
            if (input.Kind is FileKind.Record or FileKind.RecordArray or FileKind.WorExportCsv)
            {
                await console.Out.WriteLineAsync("(Offline: the content only. Whether the referral exists and the patient is the referral's is checked when the record is sent.)");
            }

            return invalid == 0 ? ExitCodes.Ok : ExitCodes.Refused;
        }));
        return command;
    }
}

/// <summary>The instant <c>--at</c> names, as the validator's clock.</summary>
internal sealed class FixedClock(DateTimeOffset instant) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => instant.ToUniversalTime();
}
