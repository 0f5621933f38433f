using BenchmarkDotNet.Attributes;
using Gateway.Fhir.Search.Index;
using Gateway.Fhir.Serialization;
using Gateway.Fhir.Validation;
using Hl7.Fhir.Model;

namespace Gateway.Benchmarks;

/// <summary>
/// What the store does in process to each resource of a GP referral bundle besides validation:
/// extract its search index rows (every registered R4 search parameter's FHIRPath) and serialize
/// it to JSON for storage. Results in docs/performance.md.
/// </summary>
[MemoryDiagnoser]
public class StoreHotPathBenchmarks
{
    private Bundle _bundle = null!;

    [GlobalSetup]
    public void Setup()
    {
        var json = File.ReadAllBytes(Path.Combine(BenchmarkFiles.RepositoryRoot(), "..", "shared", "samples", "gp", "referral-transaction.json"));
        _bundle = (Bundle)ResourceParser.ParseJson(json).Resource!;
    }

    [Benchmark(Description = "search index rows of the bundle's Patient, Consent and ServiceRequest")]
    public int ExtractIndexRows()
    {
        var rows = 0;
        foreach (var entry in _bundle.Entry)
        {
            var extracted = SearchIndexer.Extract(entry.Resource!);
            rows += extracted.Tokens.Count + extracted.Strings.Count + extracted.Dates.Count;
        }

        return rows;
    }

    [Benchmark(Description = "serialize the bundle's three resources to JSON")]
    public int SerializeResources()
    {
        var bytes = 0;
        foreach (var entry in _bundle.Entry)
        {
            bytes += FhirSerialization.ToJsonBytes(entry.Resource!).Length;
        }

        return bytes;
    }
}
