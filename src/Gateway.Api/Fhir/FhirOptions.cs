using System.ComponentModel.DataAnnotations;

namespace Gateway.Api.Fhir;

/// <summary>Settings of the FHIR endpoint, section <c>Gateway:Fhir</c>.</summary>
public sealed class FhirOptions
{
    public const string Section = "Gateway:Fhir";

    [Range(1, 1000)]
    public int DefaultPageSize { get; set; } = 50;

    [Range(1, 1000)]
    public int MaxPageSize { get; set; } = 500;

    /// <summary>Most <c>_sort</c> keys one search may have; more get 400.</summary>
    [Range(1, 20)]
    public int MaxSortKeys { get; set; } = Gateway.Fhir.Search.SearchRequestParser.DefaultMaxSortKeys;

    /// <summary>Largest request body accepted; bigger ones get 413.</summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Most items of one repeating element in a resource sent (e.g. Patient.name.given); more get 413.</summary>
    [Range(1, 1_000_000)]
    public int MaxRepeats { get; set; } = 1000;

    /// <summary>Most elements (objects, arrays and values) in a resource or bundle sent; more get 413.</summary>
    [Range(1, 10_000_000)]
    public int MaxElements { get; set; } = 200_000;

    /// <summary>Most entries a transaction or batch may have; more get 413.</summary>
    [Range(1, 100_000)]
    public int MaxBundleEntries { get; set; } = 1000;
}
