using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Gateway.Fhir.Search.Index;
using Gateway.Fhir.Serialization;
using Gateway.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Gateway.Benchmarks;

/// <summary>
/// What the store does in process to each resource of a GP referral bundle besides validation:
/// extract its search index rows, serialize it to JSON for storage, and read stored JSON back
/// (the workflow reads the resources it changes). Each "as before" row is the way of issue 9's
/// first three passes, kept for comparison. Results in docs/performance.md.
/// </summary>
[MemoryDiagnoser]
public class StoreHotPathBenchmarks
{
    // The stored-JSON reader before issue 9's fourth pass: Recoverable mode with the SDK's POCO validation.
    private static readonly FhirJsonDeserializer ValidatingDeserializer = new(new DeserializerSettings().UsingMode(DeserializationMode.Recoverable));

    private Bundle _bundle = null!;
    private string[] _stored = null!;

    [GlobalSetup]
    public void Setup()
    {
        var json = File.ReadAllBytes(Path.Combine(BenchmarkFiles.RepositoryRoot(), "..", "shared", "samples", "gp", "referral-transaction.json"));
        _bundle = (Bundle)ResourceParser.ParseJson(json).Resource!;
        _stored = _bundle.Entry.Select(e => FhirSerialization.ToJson(e.Resource!)).ToArray();
    }

    [Benchmark(Description = "search index rows of the bundle's Patient, Consent and ServiceRequest")]
    public int ExtractIndexRows() => Extract(walkMemberPaths: true);

    [Benchmark(Description = "the same, every branch through FHIRPath (as before)")]
    public int ExtractIndexRowsWithFhirPath() => Extract(walkMemberPaths: false);

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

    [Benchmark(Description = "read the three back from stored JSON")]
    public int ReadStored() => _stored.Sum(json => FhirSerialization.FromStoredJson(json).TypeName.Length);

    [Benchmark(Description = "the same, with the SDK's POCO validation (as before)")]
    public int ReadStoredValidating() => _stored.Sum(json => ReadValidating(json).TypeName.Length);

    private static Resource ReadValidating(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        ValidatingDeserializer.TryDeserializeResource(ref reader, out var resource, out _);
        return resource!;
    }

    private int Extract(bool walkMemberPaths)
    {
        var rows = 0;
        foreach (var entry in _bundle.Entry)
        {
            var extracted = SearchIndexer.Extract(entry.Resource!, walkMemberPaths);
            rows += extracted.Tokens.Count + extracted.Strings.Count + extracted.Dates.Count + extracted.References.Count;
        }

        return rows;
    }
}
