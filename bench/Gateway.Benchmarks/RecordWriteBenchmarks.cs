using BenchmarkDotNet.Attributes;
using Gateway.Fhir.Audit;
using Gateway.Fhir.Conformance;
using Gateway.Fhir.Serialization;
using Gateway.Fhir.Validation;
using Gateway.Fhir.Validation.Profiles;
using Hl7.Fhir.Model;

namespace Gateway.Benchmarks;

/// <summary>
/// What a partner record's resources cost in process as the store writes them (issue 18): the
/// profile validation of its Task and measure (the guide's examples) and the serialization of the
/// Task version, the measure and the gateway's Provenance. Results in docs/performance.md.
/// </summary>
[MemoryDiagnoser]
public class RecordWriteBenchmarks
{
    private ProfileValidator _validator = null!;
    private Resource _task = null!;
    private Resource _measure = null!;
    private Resource _provenance = null!;
    private byte[][] _bodies = [];

    [GlobalSetup]
    public void Setup()
    {
        var root = BenchmarkFiles.RepositoryRoot();
        _validator = new ProfileValidator(ConformanceFolder.Load(Path.Combine(root, "profiles")));
        _task = Example(root, "Task-example-hfactor.json");
        _measure = Example(root, "QuestionnaireResponse-example-ons4-baseline.json");
        _provenance = ProvenanceBuilder.Build(["Task/1/_history/2", "QuestionnaireResponse/2/_history/1"], created: false,
            "Applied a wor-export row", null, ["Binary/3"], new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        _provenance.Id = "a1b2c3";
        _bodies = [FhirSerialization.ToJsonBytes(_task), FhirSerialization.ToJsonBytes(_measure), FhirSerialization.ToJsonBytes(_provenance)];
        if (_validator.Validate(_task).HasErrors || _validator.Validate(_measure).HasErrors)
        {
            throw new InvalidOperationException("The guide's Task and QuestionnaireResponse examples should validate clean.");
        }
    }

    [Benchmark(Description = "validate the guide's Task example")]
    public int ValidateTask() => _validator.Validate(_task).Issues.Count;

    [Benchmark(Description = "validate the guide's ONS4 QuestionnaireResponse example")]
    public int ValidateMeasure() => _validator.Validate(_measure).Issues.Count;

    [Benchmark(Description = "serialize the Task, the measure and a Provenance as the store does")]
    public int Serialize() => FhirSerialization.ToJson(_task).Length + FhirSerialization.ToJson(_measure).Length + FhirSerialization.ToJson(_provenance).Length;

    [Benchmark(Description = "the three bodies' UTF-8 decoded to a string and encoded again (what a string body costs over bytes)")]
    public int Transcode()
    {
        var length = 0;
        foreach (var body in _bodies)
        {
            length += System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(body)).Length;
        }

        return length;
    }

    private static Resource Example(string root, string file) =>
        ResourceParser.ParseJson(File.ReadAllBytes(Path.Combine(root, "profiles", "examples", file))).Resource!;
}
