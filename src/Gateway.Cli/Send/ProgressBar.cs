namespace Gateway.Cli.Send;

/// <summary>
/// A one-line text progress bar redrawn in place on standard error (<c>[#####.....] 12/30 records</c>);
/// draws nothing when standard error is not a terminal.
/// </summary>
public sealed class ProgressBar(TextWriter error, bool enabled, int? total, string unit)
{
    private const int Width = 30;
    private int _done;

    public void Advance()
    {
        _done++;
        // Redrawn when the bar or the count shown moves by a step, not for every one of 100,000 records.
        if (!enabled || (total is > 0 and var all && all > 1000 && _done % (all / 1000) != 0 && _done != all))
        {
            return;
        }

        var line = total is > 0 and var t
            ? $"\r[{new string('#', Math.Min(Width, _done * Width / t)).PadRight(Width, '.')}] {_done}/{t} {unit}"
            : $"\r{_done} {unit}";
        error.Write(line);
        error.Flush();
    }

    public void Finish()
    {
        if (enabled && _done > 0)
        {
            error.WriteLine();
        }
    }
}
