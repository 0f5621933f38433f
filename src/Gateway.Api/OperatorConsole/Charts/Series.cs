namespace Gateway.Api.OperatorConsole.Charts;

/// <summary>
/// One named series over a time chart's periods: a value per period (null when missing or
/// withheld) and, optionally, per period the list that value stands for.
/// </summary>
public sealed record Series(string Name, IReadOnlyList<double?> Values, IReadOnlyList<string?>? Hrefs = null)
{
    public string? HrefAt(int period) => Hrefs is { } hrefs && period < hrefs.Count ? hrefs[period] : null;

    public double? ValueAt(int period) => period < Values.Count ? Values[period] : null;
}
