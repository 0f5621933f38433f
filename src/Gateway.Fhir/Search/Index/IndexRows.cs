namespace Gateway.Fhir.Search.Index;

public sealed record TokenIndexRow(string Param, string? System, string? Code, string? Text);

public sealed record StringIndexRow(string Param, string Normalized, string Exact);

/// <summary>A date search value as the half-open range [<see cref="Start"/>, <see cref="End"/>), in UTC.</summary>
public sealed record DateIndexRow(string Param, DateTimeOffset Start, DateTimeOffset End);

public sealed record ReferenceIndexRow(string Param, string? TargetType, string? TargetId, string? Url);

/// <summary>A position in WGS84 degrees, for <c>near</c>.</summary>
public sealed record PositionIndexRow(string Param, double Latitude, double Longitude);

public sealed class IndexRows
{
    public List<TokenIndexRow> Tokens { get; } = [];

    public List<StringIndexRow> Strings { get; } = [];

    public List<DateIndexRow> Dates { get; } = [];

    public List<ReferenceIndexRow> References { get; } = [];

    public List<PositionIndexRow> Positions { get; } = [];
}
