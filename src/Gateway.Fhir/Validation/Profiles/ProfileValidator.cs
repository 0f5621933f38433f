using Gateway.Fhir.Conformance;
using Gateway.Fhir.Errors;
using Hl7.Fhir.Model;
using IssueType = Hl7.Fhir.Model.OperationOutcome.IssueType;

namespace Gateway.Fhir.Validation.Profiles;

/// <summary>What validation found, and against which of the guide's profiles.</summary>
public sealed record ProfileValidation(IReadOnlyList<OperationOutcome.IssueComponent> Issues, IReadOnlyList<string> Profiles)
{
    public bool HasErrors => Issues.Any(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal);
}

/// <summary>
/// Validates resources against the guide's profiles (docs/adr/0004): the profiles of the guide a
/// resource names in meta.profile, plus always the guide's profile for its type, so the gateway
/// enforces exactly what it publishes, and the guide's extensions where they are used (ExtensionChecks).
/// Bundle entries are validated each in turn. Built once at
/// start; a profile that cannot be compiled stops the start with its file name.
/// </summary>
public sealed class ProfileValidator
{
    private const string CorePrefix = "http://hl7.org/fhir/StructureDefinition/";

    private readonly ConformanceResources _resources;
    private readonly Dictionary<string, CompiledProfile> _profiles;
    private readonly ExtensionChecks _extensions;

    // The guide's profile for each type (ConformanceResources.DefaultProfile: the first of the type), looked up
    // once here rather than by a scan of the guide's files for every resource validated (issue 18).
    private readonly Dictionary<string, CompiledProfile> _defaults = new(StringComparer.Ordinal);

    public ProfileValidator(ConformanceResources resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        _resources = resources;
        var problems = new List<string>();
        _profiles = new Dictionary<string, CompiledProfile>(StringComparer.Ordinal);
        foreach (var profile in resources.Profiles)
        {
            var own = new List<string>();
            _profiles[profile.Url!] = ProfileCompiler.Compile(profile, url => resources.Find<StructureDefinition>(url)?.Type, own);
            problems.AddRange(own.Select(p => $"{resources.FileOf(profile.Url!)}: {p}"));
        }

        foreach (var profile in resources.Profiles)
        {
            if (profile.Type is { } type && resources.DefaultProfile(type) is { Url: { } url } && _profiles.TryGetValue(url, out var compiled))
            {
                _defaults.TryAdd(type, compiled);
            }
        }

        _extensions = new ExtensionChecks(resources, problems);
        if (problems.Count > 0)
        {
            throw new ConformanceLoadException(resources.Folder, problems);
        }
    }

    /// <summary>Whether <paramref name="profileUrl"/> is a profile this validator can apply: the guide's, or an R4 base definition.</summary>
    public bool Knows(string profileUrl, string resourceType) =>
        _profiles.TryGetValue(GatewayGuide.WithoutVersion(profileUrl), out var profile) ? profile.Type == resourceType : profileUrl == CorePrefix + resourceType;

    /// <summary>
    /// Creates and updates: a resource that breaks a profile that applies is refused with 422 and
    /// every issue (FHIR R4 http.html#create: 422 for content that violates a profile); warnings pass.
    /// </summary>
    public void EnsureValid(Resource resource)
    {
        var validation = Validate(resource);
        if (validation.HasErrors)
        {
            throw new InvalidResourceException(validation.Issues, Microsoft.AspNetCore.Http.StatusCodes.Status422UnprocessableEntity);
        }
    }

    /// <param name="profileUrl">
    /// $validate's <c>profile</c>: validate against this one only (the R4 base definition means no profile of the guide).
    /// Null validates as a create or update does.
    /// </param>
    public ProfileValidation Validate(Resource resource, string? profileUrl = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var issues = new List<OperationOutcome.IssueComponent>();
        var applied = new List<string>();
        var root = resource.ToPocoNode();
        if (resource is Bundle bundle)
        {
            var references = ReferenceTargets.ForBundle(bundle);
            foreach (var entry in ElementValues.Items(root, "entry"))
            {
                if (ElementValues.Items(entry, "resource").FirstOrDefault() is { } node)
                {
                    ValidateOne(node, root, null, references, issues, applied);
                }
            }
        }

        ValidateOne(root, root, profileUrl, ReferenceTargets.None, issues, applied);
        return new ProfileValidation(issues, applied.Distinct(StringComparer.Ordinal).ToList());
    }

    private void ValidateOne(PocoNode node, PocoNode root, string? profileUrl, ReferenceTargets references, List<OperationOutcome.IssueComponent> issues, List<string> applied)
    {
        var resource = (Resource)node.Poco;
        var location = ((Hl7.Fhir.ElementModel.IShortPathGenerator)node).ShortPath;
        foreach (var profile in ProfilesFor(resource, profileUrl, location, issues))
        {
            applied.Add(profile.Url);
            ProfileWalker.Walk(profile, node, root, _resources.Expansions, references, issues, url => _profiles.GetValueOrDefault(GatewayGuide.WithoutVersion(url)));
        }

        _extensions.Check(node, root, _resources.Expansions, references, issues, applied);

        if (resource is QuestionnaireResponse { Questionnaire: { } canonical } response)
        {
            if (_resources.Find<Questionnaire>(canonical) is { } questionnaire)
            {
                QuestionnaireAnswers.Check(response, questionnaire, location, issues);
            }
            else if (canonical.StartsWith(GatewayGuide.CanonicalBase + "/", StringComparison.Ordinal))
            {
                issues.Add(ProfileIssues.Error(IssueType.NotFound, "questionnaire", location + ".questionnaire", $"{location}.questionnaire '{canonical}' is not a Questionnaire of this server."));
            }
        }
    }

    private List<CompiledProfile> ProfilesFor(Resource resource, string? profileUrl, string location, List<OperationOutcome.IssueComponent> issues)
    {
        if (profileUrl is not null)
        {
            return _profiles.TryGetValue(GatewayGuide.WithoutVersion(profileUrl), out var asked) && asked.Type == resource.TypeName ? [asked] : [];
        }

        var profiles = new List<CompiledProfile>();
        foreach (var claimed in resource.Meta?.Profile.OfType<string>() ?? [])
        {
            if (_profiles.TryGetValue(GatewayGuide.WithoutVersion(claimed), out var known) && known.Type == resource.TypeName)
            {
                profiles.Add(known);
            }
            else if (claimed != CorePrefix + resource.TypeName)
            {
                // FHIR R4 profiling.html#claims: a server may ignore profiles it does not know; saying so helps the sender.
                issues.Add(ProfileIssues.Create(OperationOutcome.IssueSeverity.Warning, IssueType.NotSupported, "profile", location + ".meta.profile",
                    $"{location}.meta.profile '{claimed}' is not a {resource.TypeName} profile this server knows; it was not checked."));
            }
        }

        if (_defaults.TryGetValue(resource.TypeName, out var byDefault) && profiles.All(p => p.Url != byDefault.Url))
        {
            profiles.Add(byDefault);
        }

        return profiles;
    }
}
