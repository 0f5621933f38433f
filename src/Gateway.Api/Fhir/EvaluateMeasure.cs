using System.Globalization;
using Gateway.Api.Smart;
using Gateway.Fhir.Access;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Measures;
using Gateway.Fhir.Partners;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace Gateway.Api.Fhir;

/// <summary>
/// Measure $evaluate-measure (FHIR R4 measure-operation-evaluate-measure.html), GET or POST, for
/// <c>periodStart</c>/<c>periodEnd</c> (dates; a month or year covers all of it; UTC): a summary
/// MeasureReport per Measure, stratified and suppressed (issue 19), counting only what the
/// caller's scope allows (Access/MeasureScope.cs). At type level <c>measure</c> names one Measure
/// by id or url; without it every Measure is evaluated and the answer is a collection Bundle of
/// their reports. <c>Accept: text/csv</c> (or <c>_format=csv</c>) gives the same as CSV.
/// </summary>
public static class EvaluateMeasure
{
    private static readonly string[] PersonLevel = ["subject", "practitioner"];

    public static Task<IResult> HandleType(HttpRequest request, MeasureEvaluator evaluator, PartnerDirectory partners, IOptions<MeasuresOptions> options,
        TimeProvider clock, CancellationToken ct) => Run(request, null, evaluator, partners, options.Value, clock, ct);

    public static Task<IResult> HandleInstance(string id, HttpRequest request, MeasureEvaluator evaluator, PartnerDirectory partners, IOptions<MeasuresOptions> options,
        TimeProvider clock, CancellationToken ct) => Run(request, id, evaluator, partners, options.Value, clock, ct);

    private static async Task<IResult> Run(HttpRequest request, string? id, MeasureEvaluator evaluator, PartnerDirectory partners, MeasuresOptions options,
        TimeProvider clock, CancellationToken ct)
    {
        var caller = request.HttpContext.RequiredCaller();
        if (!caller.Scopes.Permits("MeasureReport", 'r') && !caller.Scopes.Permits("MeasureReport", 's'))
        {
            throw new FhirException(StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Forbidden,
                "The access token does not allow $evaluate-measure: request a token with scope system/MeasureReport.rs (or wider).");
        }

        var parameters = await OperationParameters.ReadAsync(request, ct);
        var measures = Measures(id, parameters.Value("measure"));
        var start = MeasurePeriod.Start(parameters.Value("periodStart") ?? throw OperationParameters.Invalid("a start date is required (e.g. 2026-10-01).", "periodStart"), "periodStart");
        var end = MeasurePeriod.End(parameters.Value("periodEnd") ?? throw OperationParameters.Invalid("an end date is required (e.g. 2026-10-31).", "periodEnd"), "periodEnd");
        if (end < start)
        {
            throw OperationParameters.Invalid($"{end:yyyy-MM-dd} is before periodStart {start:yyyy-MM-dd}.", "periodEnd");
        }

        if (parameters.Value("reportType") is { } reportType && reportType != "summary")
        {
            throw new FhirException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.NotSupported,
                $"Parameter reportType: '{reportType}' is not supported; reports here are aggregates only (summary).", "reportType");
        }

        foreach (var personLevel in PersonLevel.Where(p => parameters.Value(p) is not null))
        {
            throw new FhirException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.NotSupported,
                $"Parameter {personLevel}: reports here are aggregates over the caller's scope, never about one subject.", personLevel);
        }

        var suppress = !(caller.Kind == PartnerKinds.Operator && options.OperatorsSeeUnsuppressed);
        var figures = await evaluator.EvaluateAsync(measures, start, end, MeasureScope.For(caller, partners), suppress, ct);
        if (CsvOutput.IsWanted(request))
        {
            return Results.Text(MeasureCsv.Write(figures), MeasureCsv.MediaType + "; charset=utf-8");
        }

        var now = clock.GetUtcNow();
        var reports = figures.Select(f => MeasureReportBuilder.Build(f, now)).ToList();
        if (id is not null || parameters.Value("measure") is not null)
        {
            return FhirResult.Of(reports[0]);
        }

        return FhirResult.Of(new Bundle
        {
            Type = Bundle.BundleType.Collection,
            Timestamp = now,
            Entry = reports.Select(r => new Bundle.EntryComponent { Resource = r }).ToList(),
        });
    }

    private static List<MeasureDefinition> Measures(string? id, string? measure)
    {
        if (id is not null)
        {
            return [MeasureCatalog.Find(id) is { } byId && byId.Id == id ? byId : throw new ResourceNotFoundException($"Measure/{id} is not known to this server.")];
        }

        if (measure is null)
        {
            return [.. MeasureCatalog.All];
        }

        return [MeasureCatalog.Find(measure) ?? throw new FhirException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.NotFound,
            $"Parameter measure: '{measure}' is neither the id nor the url of a Measure of this server ({string.Join(", ", MeasureCatalog.All.Select(m => m.Id))}).", "measure")];
    }
}

/// <summary>The dates of $evaluate-measure: FHIR date precision (year, month or day), the start taken at its first day, the end at its last.</summary>
public static class MeasurePeriod
{
    public static DateOnly Start(string value, string parameter) => Parse(value, parameter, end: false);

    public static DateOnly End(string value, string parameter) => Parse(value, parameter, end: true);

    private static DateOnly Parse(string value, string parameter, bool end)
    {
        var formats = new[] { ("yyyy-MM-dd", 0), ("yyyy-MM", 1), ("yyyy", 2) };
        var date = value.Length >= 10 ? value[..10] : value;
        foreach (var (format, precision) in formats)
        {
            if (DateOnly.TryParseExact(date, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                return !end ? parsed : precision switch
                {
                    1 => parsed.AddMonths(1).AddDays(-1),
                    2 => parsed.AddYears(1).AddDays(-1),
                    _ => parsed,
                };
            }
        }

        throw OperationParameters.Invalid($"'{value}' is not a FHIR date (yyyy, yyyy-MM or yyyy-MM-dd).", parameter);
    }
}

/// <summary>Marks a route that also answers in CSV, so format negotiation lets <c>text/csv</c> through to it.</summary>
public sealed record CsvOutput
{
    public static readonly CsvOutput Instance = new();

    public static bool IsWanted(HttpRequest request)
    {
        var format = request.Query["_format"].ToString();
        if (format.Length > 0)
        {
            return format is "csv" or MeasureCsv.MediaType;
        }

        var accept = request.GetTypedHeaders().Accept;
        var best = accept.OrderByDescending(a => a.Quality ?? 1).FirstOrDefault();
        return best?.MediaType.Value is MeasureCsv.MediaType;
    }
}
