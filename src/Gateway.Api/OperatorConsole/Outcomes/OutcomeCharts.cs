using Gateway.Api.OperatorConsole.Charts;
using Gateway.Fhir.Measures;

namespace Gateway.Api.OperatorConsole;

/// <summary>
/// The outcomes page's charts (issue 19, item 6), each drawn from the evaluated Measures: referrals
/// by how they stand, first contact, how they ended, and wellbeing change with its confidence
/// interval, over the months and per area or referring practice. A suppressed count shows "&lt;5";
/// a share, median or mean resting on one, or on fewer than 10 people, shows "withheld".
/// </summary>
internal static class OutcomeCharts
{
    public const string Suppressed = "<5";
    public const string Withheld = "withheld";

    private static readonly (string Group, string Name)[] Ends =
        [("completed", "completed"), ("declined", "declined"), ("cancelled", "cancelled"), ("failed", "failed")];

    private static IEnumerable<string> WellbeingGroups =>
        MeasureCatalog.Ons4Items.Select(i => "ons4-" + i).Concat(MeasureCatalog.PositiveHealthDimensions.Select(d => "positive-health-" + d));

    /// <summary>Referrals received in each stratum, stacked by how they stand now: completed, declined, cancelled, failed or still open.</summary>
    public static StackedBarChart States(OutcomeFigures figures, string id, string title, string? stratifier, IReadOnlyList<string> strata, IReadOnlyList<string> labels, string heading)
    {
        var series = Ends.Select(end => new Series(end.Name, strata.Select(s => figures.Count(end.Group, stratifier, s)).ToList())).ToList();
        series.Add(new Series("still open", strata.Select(s => Open(figures, stratifier, s)).ToList()));
        return new StackedBarChart(id, title,
            "Referrals received, by what has become of them so far: completed, declined by the provider, cancelled, failed, or still open (requested, accepted or in progress).",
            labels, series)
        { MissingText = Suppressed, PeriodHeading = heading };
    }

    /// <summary>The share of referrals contacted within 14 days (the Welzijn op Recept norm), in per cent.</summary>
    public static Chart ContactShare(OutcomeFigures figures, string id, string title, string? stratifier, IReadOnlyList<string> strata, IReadOnlyList<string> labels, string heading) =>
        new BarChart(id, title, "Of the referrals received, the share whose first contact (intake or plan agreed, or work started) came within 14 days, in per cent.",
            strata.Select((s, i) => new Bar(labels[i], figures.Score("contact-within-14-days", stratifier, s))).ToList())
        { MissingText = Withheld, CategoryHeading = heading, ValueHeading = "% within 14 days", WholeNumbers = false };

    /// <summary>The median days from referral to first contact, per month.</summary>
    public static Chart MedianDays(OutcomeFigures figures, IReadOnlyList<string> months) =>
        new LineChart("median-days-to-contact", "Median days to first contact, per month",
            "The median number of days from the referral to the first contact, among the referrals of each month that had one; withheld under 10 people.",
            months, [new Series("median days", months.Select(m => figures.Score("days-to-first-contact", "month", m)).ToList())])
        { MissingText = Withheld, PeriodHeading = "Month", WholeNumbers = false };

    /// <summary>How the referrals of the period ended: completed, and each closure by its reason.</summary>
    public static Chart Endings(OutcomeFigures figures)
    {
        var bars = new List<Bar> { new("completed", figures.Count("completed", population: MeasurePopulations.Numerator)) };
        foreach (var (group, name) in Ends.Skip(1))
        {
            bars.AddRange(figures.Strata("reason").Where(r => figures.Count(group, "reason", r) != 0)
                .Select(reason => new Bar($"{name}: {reason}", figures.Count(group, "reason", reason))));
        }

        return new BarChart("endings", "How referrals ended, and why",
            "Referrals completed, and those declined by the provider, cancelled or failed, by the reason given.", bars)
        { MissingText = Suppressed, CategoryHeading = "Ending", ValueHeading = "Referrals" };
    }

    /// <summary>Mean change, first to last measurement per person, with its 95 % confidence interval: each ONS4 item and positive-health dimension.</summary>
    public static Chart Wellbeing(OutcomeFigures figures, string id, string title, string? stratifier, IReadOnlyList<string?> strata, IReadOnlyList<string> labels)
    {
        var rows = new List<Estimate>();
        foreach (var (stratum, index) in strata.Select((s, i) => (s, i)))
        {
            foreach (var group in WellbeingGroups.Where(g => figures.Count(g, stratifier, stratum) != 0))
            {
                var (mean, low, high, people) = figures.Change(group, stratifier, stratum);
                var item = group.Replace("positive-health-", "positive health: ", StringComparison.Ordinal).Replace("ons4-", "ONS4 ", StringComparison.Ordinal);
                rows.Add(new Estimate(stratifier is null ? item : $"{labels[index]} · {item}", mean, low, high, people));
            }
        }

        return new IntervalChart(id, title,
            "Mean change from each person's first to last score, with its 95 % confidence interval; an interval crossing 0 is a change the data cannot tell from none. " +
            "A higher score is better, except ONS4 anxious. Withheld under 10 people.", rows)
        { MissingText = Withheld, LabelHeading = stratifier is null ? "Item" : "Stratum · item" };
    }

    // Received minus every ending: derived from shown counts, so shown only when they all are (and, suppressed, not a small number itself).
    private static double? Open(OutcomeFigures figures, string? stratifier, string stratum)
    {
        var received = figures.Count("received", stratifier, stratum);
        var ended = Ends.Select(e => figures.Count(e.Group, stratifier, stratum)).ToList();
        if (received is not { } total || ended.Any(e => e is null))
        {
            return null;
        }

        var open = total - ended.Sum(e => e!.Value);
        return figures.IsSuppressed && Suppression.IsSmall((long)open) ? null : open;
    }
}
