using Gateway.Fhir.Conformance;
using Gateway.Fhir.Partners;
using Gateway.Fhir.Records;
using Gateway.Fhir.Validation;
using Gateway.Fhir.Validation.Profiles;
using Gateway.Mapping;
using Gateway.Mapping.HousingCase;
using Gateway.Mapping.HousingReferral;
using Gateway.Mapping.WorExport;
using Hl7.Fhir.Model;

namespace Gateway.Cli.Validate;

/// <summary>
/// Validates a file without a gateway, with the gateway's own code: FHIR content with its strict
/// parser and the profile validator built from profiles/ (as create, update and transactions do),
/// partner records with the record mappers built from the same guide's ConceptMaps, and a partners
/// file with the loader the gateway starts with. What needs the gateway's data (does the referral
/// exist, is the patient the referral's) is checked only when the record is sent.
/// </summary>
public sealed class OfflineValidator
{
    private readonly ProfileValidator _profiles;
    private readonly RecordMappers _mappers;
    private readonly TimeProvider _clock;

    public OfflineValidator(string profilesFolder, TimeProvider clock)
    {
        ConformanceResources guide;
        try
        {
            guide = ConformanceFolder.Load(profilesFolder);
        }
        catch (ConformanceLoadException e)
        {
            throw new CliException(e.Message + Environment.NewLine + "Say where the gateway's profiles are with --profiles <folder>.");
        }

        _profiles = new ProfileValidator(guide);
        _mappers = new RecordMappers(guide);
        _clock = clock;
    }

    public static string DefaultProfilesFolder => Path.Combine(AppContext.BaseDirectory, "profiles");

    /// <summary>The findings, one list per record (a single list for anything but a batch), each named for the output.</summary>
    public IReadOnlyList<(string Name, IReadOnlyList<Finding> Findings)> Validate(InputFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return file.Kind switch
        {
            FileKind.FhirResource => [(file.ResourceType ?? "resource", Fhir(file))],
            FileKind.Record => [(file.Format!, Record(file.Format!, file.Text))],
            FileKind.RecordArray => Array(file),
            FileKind.WorExportCsv => Csv(file),
            FileKind.PartnersFile => [("partners file", Partners(file))],
            FileKind.ClientKeys => throw new CliException($"{file.Path} is a private keys file; there is nothing in it the gateway validates. Known kinds: {InputFile.KnownKinds}."),
            FileKind.OutboundReferral => throw new CliException($"{file.Path} is a {InputFile.OutboundReferralFormat} message, which the gateway writes and never reads. Known kinds: {InputFile.KnownKinds}."),
            _ => throw new ArgumentOutOfRangeException(nameof(file), file.Kind, null),
        };
    }

    private List<Finding> Fhir(InputFile file)
    {
        var parsed = file.IsXml ? ResourceParser.ParseXml(file.Bytes) : ResourceParser.ParseJson(file.Bytes);
        var findings = parsed.Issues.Select(FromFhir).ToList();
        if (parsed.Succeeded)
        {
            findings.AddRange(_profiles.Validate(parsed.Resource!).Issues.Select(FromFhir));
        }

        return findings;
    }

    private List<Finding> Record(string format, string json)
    {
        var now = _clock.GetUtcNow();
        IReadOnlyList<RecordIssue> issues = format switch
        {
            HousingCaseMapper.Format => _mappers.HousingCase.Map(json, now).Issues,
            HousingReferralMapper.Format => HousingReferralMapper.Map(json, now).Issues,
            _ => [new RecordIssue(RecordIssueCode.InvalidValue, "$.format", $"'{format}' is not a JSON record format of this gateway.")],
        };
        return issues.Select(FromRecord).ToList();
    }

    private List<(string, IReadOnlyList<Finding>)> Array(InputFile file)
    {
        using var document = System.Text.Json.JsonDocument.Parse(file.Text);
        return document.RootElement.EnumerateArray()
            .Select((record, i) => ($"record {i}", (IReadOnlyList<Finding>)Record(file.Format!, record.GetRawText())))
            .ToList();
    }

    private List<(string, IReadOnlyList<Finding>)> Csv(InputFile file)
    {
        using var reader = WorExportCsvReader.Open(new MemoryStream(file.Bytes, writable: false));
        var header = reader.ReadHeader();
        if (header.Count > 0)
        {
            return [("header", header.Select(FromRecord).ToList())];
        }

        var now = _clock.GetUtcNow();
        return reader.ReadRows()
            .Select(row => ($"row {row.RowNumber} ({row[WorExportColumns.VerwijzingId]})", (IReadOnlyList<Finding>)_mappers.WorExport.Map(row, now).Issues.Select(FromRecord).ToList()))
            .ToList();
    }

    private static List<Finding> Partners(InputFile file)
    {
        try
        {
            PartnersFileLoader.Load(file.Path);
            return [];
        }
        catch (PartnersFileException e)
        {
            // The loader lists every problem as "\n- …" under one heading: one finding each, so the count agrees with the lines.
            var problems = e.Message.Split("\n- ");
            return problems.Length == 1 ? [new Finding("error", "", e.Message)] : problems.Skip(1).Select(p => new Finding("error", "", p)).ToList();
        }
    }

    private static Finding FromFhir(OperationOutcome.IssueComponent issue) => new(
        issue.Severity?.ToString().ToLowerInvariant() ?? "error",
        issue.Expression.FirstOrDefault() ?? issue.Location.FirstOrDefault() ?? "",
        issue.Diagnostics ?? issue.Details?.Text ?? issue.Code?.ToString() ?? "");

    private static Finding FromRecord(RecordIssue issue) => new("error", issue.Location, $"{issue.Message} ({issue.CodeText})");
}
