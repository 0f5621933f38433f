using BenchmarkDotNet.Attributes;
using Gateway.Fhir.Audit;
using Gateway.Fhir.Serialization;

namespace Gateway.Benchmarks;

/// <summary>
/// What auditing adds to a request: handing the record to the queue is all the request waits
/// for; building and serializing the AuditEvent happens on the writer, off the request path.
/// </summary>
[MemoryDiagnoser]
public class AuditBenchmarks
{
    private readonly AuditRecord _record = new(DateTimeOffset.UtcNow, "hillside-emis", "hillside-gp", "GET", "search-type",
        "Task", null, "owner=Organization/hfactor-housing&status=requested&_count=50", 200, "127.0.0.1");

    private AuditTrail _trail = null!;

    [IterationSetup(Target = nameof(Enqueue))]
    public void NewTrail() => _trail = new AuditTrail();

    [Benchmark(Baseline = true, Description = "on the request path: enqueue the record", OperationsPerInvoke = 1000)]
    public async Task Enqueue()
    {
        for (var i = 0; i < 1000; i++)
        {
            await _trail.RecordAsync(_record);
        }
    }

    [Benchmark(Description = "on the writer: build and serialize the AuditEvent")]
    public string BuildAndSerialize() => FhirSerialization.ToJson(AuditEventBuilder.Build(_record));
}
