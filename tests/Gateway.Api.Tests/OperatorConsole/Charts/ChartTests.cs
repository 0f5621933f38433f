using Gateway.Api.OperatorConsole.Charts;

namespace Gateway.Api.Tests.OperatorConsole.Charts;

/// <summary>Issue 21 item 8 and issue 19 item 6: the console's charts, read from their markup as a browser and a screen reader would.</summary>
public sealed class ChartTests
{
    private static readonly BarChart States = new("states", "Referrals by state", "Open referrals of every partner, by Task state.",
        [new("requested", 10, "/console/referrals?state=requested"), new("accepted", 5), new("rejected", null)])
    {
        MissingText = "<5",
    };

    [Fact]
    public void A_chart_is_an_image_named_by_its_title_and_description()
    {
        var chart = new RenderedChart(States);

        Assert.Equal("states", (string?)chart.Figure.Attribute("id"));
        Assert.Equal("Referrals by state", chart.Figure.Element("figcaption")!.Value);
        Assert.Equal("img", (string?)chart.Picture.Attribute("role"));
        Assert.Equal("states-title states-desc", (string?)chart.Picture.Attribute("aria-labelledby"));
        Assert.Equal("Referrals by state", chart.Picture.Element(RenderedChart.Svg + "title")!.Value);
        Assert.Equal("states-title", (string?)chart.Picture.Element(RenderedChart.Svg + "title")!.Attribute("id"));
        Assert.Equal("Open referrals of every partner, by Task state.", chart.Picture.Element(RenderedChart.Svg + "desc")!.Value);
    }

    [Fact]
    public void A_chart_runs_no_script_loads_nothing_and_sets_no_inline_style()
    {
        var html = States.ToHtml();

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Bars_are_as_long_as_their_values_and_a_withheld_value_draws_no_bar_but_says_so()
    {
        var chart = new RenderedChart(States);

        var bars = chart.Shapes("rect", "bar").ToList();
        Assert.Equal(2, bars.Count);
        Assert.Equal(2 * RenderedChart.Number(bars[1], "width"), RenderedChart.Number(bars[0], "width"), 1);
        Assert.Equal("requested: 10", bars[0].Value);
        Assert.Contains(chart.Shapes("text", "missing"), t => t.Value == "<5");
    }

    [Fact]
    public void The_table_beside_a_chart_has_the_same_numbers_and_links_them_to_their_lists()
    {
        var chart = new RenderedChart(States);

        Assert.Equal(["Category", "Count"], chart.TableHeadings);
        Assert.Equal([["requested", "10"], ["accepted", "5"], ["rejected", "<5"]], chart.TableRows);
        var link = chart.Figure.Descendants("table").Single().Descendants("a").Single();
        Assert.Equal("/console/referrals?state=requested", (string?)link.Attribute("href"));
        Assert.Equal("10", link.Value);
        // The picture's link is for the mouse only; keyboards reach the table's.
        Assert.Equal("-1", (string?)chart.Picture.Descendants(RenderedChart.Svg + "a").Single().Attribute("tabindex"));
    }

    [Fact]
    public void Text_from_partners_is_encoded_in_the_picture_and_the_table()
    {
        var html = new BarChart("x", "<b>Title</b>", "A \"quoted\" desc", [new("<script>alert(1)</script>", 3)]).ToHtml();

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Equal("<script>alert(1)</script>", new RenderedChart(new BarChart("x", "t", "d", [new("<script>alert(1)</script>", 3)])).TableRows[0][0]);
    }

    [Fact]
    public void Stacked_bars_pile_each_period_s_series_and_the_total_is_withheld_when_a_part_is()
    {
        var chart = new RenderedChart(new StackedBarChart("records", "Records by outcome", "Records accepted and rejected per day.",
            ["2026-12-01", "2026-12-02"],
            [new("accepted", [6, 4], ["/console/records?day=1", null]), new("rejected", [2, null])]) { MissingText = "<5" });

        var bars = chart.Shapes("rect", "bar").ToList();
        Assert.Equal(3, bars.Count);
        var (accepted, rejected) = (bars[0], bars[1]);
        Assert.Equal(3 * RenderedChart.Number(rejected, "height"), RenderedChart.Number(accepted, "height"), 1);
        // The rejected part sits on top of the accepted part.
        Assert.Equal(RenderedChart.Number(accepted, "y"), RenderedChart.Number(rejected, "y") + RenderedChart.Number(rejected, "height"), 1);
        Assert.Contains("series-0", (string?)accepted.Attribute("class"), StringComparison.Ordinal);
        Assert.Contains("series-1", (string?)rejected.Attribute("class"), StringComparison.Ordinal);

        Assert.Equal(["Period", "accepted", "rejected", "Total"], chart.TableHeadings);
        Assert.Equal([["2026-12-01", "6", "2", "8"], ["2026-12-02", "4", "<5", "<5"]], chart.TableRows);
        Assert.Equal(["accepted", "rejected"], chart.Shapes("text", "legend").Select(t => t.Value));
    }

    [Fact]
    public void A_line_breaks_where_a_value_is_missing_and_every_value_has_a_dot()
    {
        var chart = new RenderedChart(new LineChart("contact", "Median days to first contact", "Per month.",
            ["Jan", "Feb", "Mar", "Apr", "May"], [new("median days", [3, 4.5, null, 6, 2])]) { WholeNumbers = false });

        Assert.Equal(2, chart.Shapes("polyline", "line").Count());
        Assert.Equal(4, chart.Shapes("circle", "dot").Count());
        Assert.Equal("Feb, median days: 4.5", chart.Shapes("circle", "dot").ElementAt(1).Value);
        Assert.Equal([["Jan", "3"], ["Feb", "4.5"], ["Mar", "—"], ["Apr", "6"], ["May", "2"]], chart.TableRows);
    }

    [Fact]
    public void A_higher_value_is_drawn_higher_on_a_line()
    {
        var chart = new RenderedChart(new LineChart("l", "t", "d", ["a", "b"], [new("s", [1, 8])]));

        var dots = chart.Shapes("circle", "dot").ToList();
        Assert.True(RenderedChart.Number(dots[1], "cy") < RenderedChart.Number(dots[0], "cy"));
    }

    [Fact]
    public void An_interval_spans_its_bounds_around_its_mean_and_the_table_gives_n_mean_and_ci()
    {
        var chart = new RenderedChart(new IntervalChart("change", "Wellbeing change", "Mean change, first to last measurement, with 95 % CI.",
            [new("Life satisfaction", 1.2, 0.4, 2.0, 31), new("Anxiety", -0.5, -1.5, 0.5, 12), new("Happiness", null, null, null, 7)])
        {
            MissingText = "fewer than 10 people",
        });

        var intervals = chart.Shapes("line", "interval").ToList();
        Assert.Equal(6, intervals.Count);
        var (satisfaction, satisfactionMean) = (intervals[0], chart.Shapes("circle", "dot").First());
        var (low, high, mean) = (RenderedChart.Number(satisfaction, "x1"), RenderedChart.Number(satisfaction, "x2"), RenderedChart.Number(satisfactionMean, "cx"));
        Assert.True(low < mean && mean < high);
        Assert.Equal(mean - low, high - mean, 1);
        // Zero is drawn as the axis, between the anxiety interval's ends (a change the data cannot tell from none).
        var zero = RenderedChart.Number(chart.Shapes("line", "axis").Single(), "x1");
        Assert.True(RenderedChart.Number(intervals[3], "x1") < zero && zero < RenderedChart.Number(intervals[3], "x2"));
        Assert.True(zero < low);

        Assert.Equal(["Measure", "n", "Mean change", "95 % CI"], chart.TableHeadings);
        Assert.Equal([["Life satisfaction", "31", "1.2", "0.4 to 2"], ["Anxiety", "12", "-0.5", "-1.5 to 0.5"],
            ["Happiness", "7", "fewer than 10 people", "fewer than 10 people"]], chart.TableRows);
        Assert.Equal("Life satisfaction: 1.2 (95 % CI 0.4 to 2), n = 31", satisfactionMean.Value);
    }

    [Fact]
    public void An_empty_chart_still_renders_its_frame_and_an_empty_table()
    {
        var chart = new RenderedChart(new StackedBarChart("e", "Nothing yet", "No records.", [], []));

        Assert.Empty(chart.Shapes("rect", "bar"));
        Assert.Empty(chart.TableRows);
    }
}
