using BenchmarkDotNet.Attributes;
using Gateway.Fhir.Audit;
using Gateway.Fhir.Serialization;

namespace Gateway.Benchmarks;

/// <summary>
/// What auditing adds to a request's CPU: handing the record to the queue (the request then waits,
/// without CPU, for the group commit: docs/performance.md "A durable audit trail"); building and
/// serializing the AuditEvent happens on the writer.
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
    public void Enqueue()
    {
        for (var i = 0; i < 1000; i++)
        {
            // Not awaited: there is no writer here to commit it.
            _ = _trail.RecordAsync(_record);
        }
    }

    [Benchmark(Description = "on the writer: build and serialize the AuditEvent")]
    public string BuildAndSerialize() => FhirSerialization.ToJson(AuditEventBuilder.Build(_record));
}
