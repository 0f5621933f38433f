namespace Gateway.Api.OperatorConsole.Charts;

/// <summary>
/// A linear axis from data to pixels, with round tick values (1, 2 or 5 times a power of ten) so the
/// gridlines read as plain numbers. Always includes zero: bars start there, and a change's
/// interval is read against it.
/// </summary>
public sealed class Scale
{
    private Scale(double min, double max, double step)
    {
        Min = min;
        Max = max;
        Step = step;
    }

    public double Min { get; }

    public double Max { get; }

    public double Step { get; }

    public IEnumerable<double> Ticks
    {
        get
        {
            for (var i = 0; Min + (i * Step) <= Max + (Step / 1e6); i++)
            {
                yield return Math.Round(Min + (i * Step), 10);
            }
        }
    }

    /// <summary>A scale covering the values and zero with about <paramref name="ticks"/> intervals; counts get whole-number ticks.</summary>
    public static Scale Covering(IEnumerable<double> values, bool wholeNumbers, int ticks = 5)
    {
        var list = values.Where(double.IsFinite).ToList();
        var low = Math.Min(0, list.DefaultIfEmpty(0).Min());
        var high = Math.Max(0, list.DefaultIfEmpty(0).Max());
        if (high - low < 1e-9)
        {
            high = low + 1;
        }

        var step = RoundStep((high - low) / ticks);
        if (wholeNumbers)
        {
            step = Math.Max(step, 1);
        }

        return new Scale(Math.Floor(low / step) * step, Math.Ceiling(high / step) * step, step);
    }

    /// <summary>Where <paramref name="value"/> falls between pixel <paramref name="from"/> (the minimum) and <paramref name="to"/> (the maximum).</summary>
    public double Map(double value, double from, double to) => from + ((value - Min) / (Max - Min) * (to - from));

    private static double RoundStep(double rough)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var fraction = rough / power;
        return power * (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10);
    }
}
