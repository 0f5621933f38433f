using System.Globalization;
using Gateway.Api.Fhir;
using Gateway.Fhir.Access;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Measures;
using Gateway.Fhir.Partners;

namespace Gateway.Api.OperatorConsole;

/// <summary>
/// What the outcomes page is asked for (<c>periodStart</c>, <c>periodEnd</c>, <c>area</c>,
/// <c>practice</c>; by default the last 12 months, this one included) and whose view it is. The
/// scope comes from the access model exactly as $evaluate-measure takes it
/// (<see cref="MeasureScope.For"/>): an operator counts every referral, a commissioner login what
/// its commissioner partner may count, always suppressed.
/// </summary>
internal sealed record OutcomesQuery(DateOnly Start, DateOnly End, string? Area, string? Practice, MeasureScope Scope, bool Suppress, string? Commissioner)
{
    public const int DefaultMonths = 12;

    /// <returns>The query, or the reason it cannot be answered (a bad date; a commissioner no longer in the partners file).</returns>
    public static (OutcomesQuery? Query, string? Problem) From(HttpContext context, PartnerDirectory partners, MeasuresOptions options, TimeProvider clock)
    {
        var query = context.Request.Query;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        DateOnly start, end;
        try
        {
            start = Text(query["periodStart"]) is { } from ? MeasurePeriod.Start(from, "periodStart") : new DateOnly(today.Year, today.Month, 1).AddMonths(1 - DefaultMonths);
            end = Text(query["periodEnd"]) is { } to ? MeasurePeriod.End(to, "periodEnd") : today;
        }
        catch (FhirException e)
        {
            return (null, e.Message);
        }

        if (end < start)
        {
            return (null, $"periodEnd {end:yyyy-MM-dd} is before periodStart {start:yyyy-MM-dd}.");
        }

        var (area, practice) = (Text(query["area"]), Text(query["practice"]));
        var commissioner = ConsoleAuth.CommissionerOf(context.User);
        CallingPartner? caller = null;
        if (commissioner is not null)
        {
            if (partners.Find(commissioner) is not { Kind: PartnerKinds.Commissioner } partner)
            {
                return (null, $"This login acts for commissioner '{commissioner}', which the partners file no longer has; ask an operator.");
            }

            caller = new CallingPartner("console:" + context.User.Identity!.Name, partner.Id, partner.Kind, SmartScopes.Parse("system/MeasureReport.rs"));
        }

        var scope = MeasureScope.For(caller, partners) with { AreaStratum = area, Practice = practice };
        var suppress = commissioner is not null || !options.OperatorsSeeUnsuppressed;
        return (new OutcomesQuery(start, end, area, practice, scope, suppress, commissioner), null);
    }

    /// <summary>The months of the period, as the month stratum names them (yyyy-MM).</summary>
    public IReadOnlyList<string> Months()
    {
        var months = new List<string>();
        for (var month = new DateOnly(Start.Year, Start.Month, 1); month <= End; month = month.AddMonths(1))
        {
            months.Add(month.ToString("yyyy-MM", CultureInfo.InvariantCulture));
        }

        return months;
    }

    /// <summary>This query as a query string (for the CSV link and the filters' links).</summary>
    public string QueryString(string? area = null, string? practice = null) =>
        $"periodStart={Start:yyyy-MM-dd}&periodEnd={End:yyyy-MM-dd}"
        + ((area ?? Area) is { } a ? "&area=" + Uri.EscapeDataString(a) : "")
        + ((practice ?? Practice) is { } p ? "&practice=" + Uri.EscapeDataString(p) : "");

    private static string? Text(Microsoft.Extensions.Primitives.StringValues value) =>
        value.ToString().Trim() is { Length: > 0 } text ? text : null;
}
