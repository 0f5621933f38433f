namespace Gateway.Fhir.Search;

/// <summary>What a search needs from the request around it: this server's FHIR base (for links and absolute references), the page sizes and the most sort keys.</summary>
public sealed record SearchSettings(string BaseUrl, int DefaultCount, int MaxCount, int MaxSortKeys = SearchRequestParser.DefaultMaxSortKeys);
