using BenchmarkDotNet.Attributes;
using Gateway.Fhir.Conformance;
using Gateway.Fhir.Validation;
using Gateway.Fhir.Validation.Profiles;
using Hl7.Fhir.Model;

namespace Gateway.Benchmarks;

/// <summary>
/// How many GP referral bundles (../shared/samples/gp/referral-transaction.json: Patient, Consent,
/// ServiceRequest) one core validates per second: strict R4 parsing plus the gateway's profiles, as
/// a create does, and the profile walk alone. Results in docs/performance.md.
/// </summary>
[MemoryDiagnoser]
public class ReferralBundleValidation
{
    private byte[] _json = [];
    private Bundle _bundle = null!;
    private ProfileValidator _validator = null!;

    [GlobalSetup]
    public void Setup()
    {
        var root = BenchmarkFiles.RepositoryRoot();
        _json = File.ReadAllBytes(Path.Combine(root, "..", "shared", "samples", "gp", "referral-transaction.json"));
        _validator = new ProfileValidator(ConformanceFolder.Load(Path.Combine(root, "profiles")));
        _bundle = (Bundle)ResourceParser.ParseJson(_json).Resource!;
        if (_validator.Validate(_bundle).Issues.Count > 0)
        {
            throw new InvalidOperationException("The sample referral bundle should validate clean.");
        }
    }

    [Benchmark(Baseline = true, Description = "parse strictly + validate against R4 and the profiles")]
    public int ParseAndValidate()
    {
        var parsed = ResourceParser.ParseJson(_json);
        return parsed.Issues.Count + _validator.Validate(parsed.Resource!).Issues.Count;
    }

    [Benchmark(Description = "profile validation of a parsed bundle")]
    public int ValidateProfilesOnly() => _validator.Validate(_bundle).Issues.Count;
}
