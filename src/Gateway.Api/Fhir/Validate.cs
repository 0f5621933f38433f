using Gateway.Api.Smart;
using Gateway.Fhir.Conformance;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Storage;
using Gateway.Fhir.Validation;
using Gateway.Fhir.Validation.Profiles;
using Hl7.Fhir.Model;

namespace Gateway.Api.Fhir;

/// <summary>
/// $validate (FHIR R4 resource-operation-validate.html) on every type, at type and instance level:
/// always 200 with an OperationOutcome of what R4 and the profiles say, parse failures included;
/// 4xx only for a request that cannot be carried out (unknown profile or mode, no resource).
/// <c>profile</c> validates against that profile only; without it, as a create or update would.
/// </summary>
public static class Validate
{
    private static readonly HashSet<string> Modes = ["create", "update", "delete"];

    public static async Task<IResult> HandleType(string type, HttpRequest request, ProfileValidator validator, CancellationToken ct)
    {
        // SPEC §3: $validate on every resource type, stored here or not (a transaction Bundle, say).
        if (!SupportedResources.IsFhirType(type))
        {
            FhirRequest.SupportedType(type);
        }

        var parsed = await FhirRequestBody.ParseAsync(request, ct);
        if (!parsed.Succeeded)
        {
            return FhirResult.Outcome(StatusCodes.Status200OK, parsed.Issues);
        }

        var (resource, parameters) = Unwrap(type, parsed.Resource!, request);
        return Run(type, null, resource ?? throw NoResource(), parameters, parsed.Issues, validator);
    }

    public static async Task<IResult> HandleInstance(string type, string id, HttpRequest request, ResourceStore store, ProfileValidator validator, CancellationToken ct)
    {
        FhirRequest.SupportedType(type);
        FhirRequest.ValidId(id);
        var hasBody = HttpMethods.IsPost(request.Method) && (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0);
        var parsed = hasBody ? await FhirRequestBody.ParseAsync(request, ct) : null;
        if (parsed is { Succeeded: false })
        {
            return FhirResult.Outcome(StatusCodes.Status200OK, parsed.Issues);
        }

        var (resource, parameters) = parsed is null ? (null, OperationParameters.From(request.Query, null)) : Unwrap(type, parsed.Resource!, request);
        if (parameters.Value("mode") == "delete")
        {
            await store.ReadAsync(type, id, ct, request.HttpContext.Caller());
            return Outcome([GatewayGuide.IsReadOnly(type)
                ? ReadOnly(type)
                : Information($"{type}/{id} may be deleted.")]);
        }

        // Without a resource in the body, the stored one is validated (e.g. against another profile).
        resource ??= (await store.ReadAsync(type, id, ct, request.HttpContext.Caller())).Resource!;
        return Run(type, id, resource, parameters, parsed?.Issues ?? ResourceParser.Validate(resource), validator);
    }

    // The body is the resource itself, or a Parameters with resource, mode and profile (resource-operation-validate.html).
    private static (Resource? Resource, OperationParameters Parameters) Unwrap(string type, Resource body, HttpRequest request) =>
        body is Parameters wrapper && type != "Parameters"
            ? (wrapper.Parameter.FirstOrDefault(p => p.Name == "resource")?.Resource, OperationParameters.From(request.Query, wrapper))
            : (body, OperationParameters.From(request.Query, null));

    private static FhirResult Run(string type, string? id, Resource resource, OperationParameters parameters, IReadOnlyList<OperationOutcome.IssueComponent> baseIssues, ProfileValidator validator)
    {
        if (resource.TypeName != type)
        {
            throw OperationParameters.Invalid($"the resource is a {resource.TypeName}, but the URL is for {type}.", "resource");
        }

        var mode = parameters.Value("mode");
        if (mode is not null && !Modes.Contains(mode))
        {
            throw OperationParameters.Invalid($"'{mode}' is not one of create, update, delete.", "mode");
        }

        var profile = parameters.Value("profile");
        if (profile is not null && !validator.Knows(profile, type))
        {
            throw new FhirException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.NotSupported,
                $"Parameter profile: '{profile}' is not a {type} profile of this server; see the CapabilityStatement's supportedProfile.", "profile");
        }

        var issues = new List<OperationOutcome.IssueComponent>(baseIssues);
        if (mode is not null && GatewayGuide.IsReadOnly(type))
        {
            issues.Add(ReadOnly(type));
        }

        if (mode == "update" && (resource.Id is null || (id is not null && resource.Id != id)))
        {
            issues.Add(FhirException.Issue(OperationOutcome.IssueType.Invalid, $"An update needs the resource's id{(id is null ? "" : $" ({id})")} in the body.", $"{type}.id"));
        }

        var validation = validator.Validate(resource, profile);
        issues.AddRange(validation.Issues);
        if (issues.Count == 0)
        {
            var against = validation.Profiles.Count == 0 ? "FHIR R4" : "FHIR R4 and " + string.Join(", ", validation.Profiles);
            issues.Add(Information($"No issues: the {type} is valid against {against}."));
        }

        return Outcome(issues);
    }

    private static FhirResult Outcome(IEnumerable<OperationOutcome.IssueComponent> issues) => FhirResult.Outcome(StatusCodes.Status200OK, issues);

    private static OperationOutcome.IssueComponent Information(string diagnostics) => new()
    {
        Severity = OperationOutcome.IssueSeverity.Information,
        Code = OperationOutcome.IssueType.Informational,
        Diagnostics = diagnostics,
    };

    private static OperationOutcome.IssueComponent ReadOnly(string type) =>
        FhirException.Issue(OperationOutcome.IssueType.NotSupported, $"{type} resources are read-only on this server: they come from its implementation guide.");

    private static FhirException NoResource() =>
        OperationParameters.Invalid("there is no resource to validate: send it as the body, or as the 'resource' part of a Parameters.", "resource");
}
