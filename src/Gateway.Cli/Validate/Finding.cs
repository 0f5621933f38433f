namespace Gateway.Cli.Validate;

/// <summary>One thing validation found: how bad, where (FHIRPath, JSON path or CSV row and column), and what.</summary>
public sealed record Finding(string Severity, string Location, string Message)
{
    public bool IsError => Severity is "error" or "fatal";

    public override string ToString() => $"  {Severity,-11} {(Location.Length == 0 ? "" : Location + "  ")}{Message}";
}
