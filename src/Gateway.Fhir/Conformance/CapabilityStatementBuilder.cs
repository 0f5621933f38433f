using Gateway.Fhir.Patching;
using Hl7.Fhir.Model;
using Gateway.Fhir.Search.Index;
using Hl7.Fhir.Utility;

namespace Gateway.Fhir.Conformance;

/// <summary>
/// Builds the CapabilityStatement from what the host really registered: the interactions and
/// operations of its routes, the supported types and the profiles loaded from profiles/, so the
/// statement cannot drift from the server.
/// </summary>
public static class CapabilityStatementBuilder
{
    // Writes a read-only type does not offer (docs/adr/0004).
    private static readonly HashSet<string> Writes = ["create", "update", "delete", "patch"];

    public static CapabilityStatement Build(string baseUrl, IReadOnlySet<string> typeInteractions, IReadOnlySet<string> systemInteractions,
        IReadOnlyCollection<SupportedOperation> operations, ConformanceResources guide, DateTimeOffset date, string? tokenEndpoint = null)
    {
        ArgumentNullException.ThrowIfNull(guide);
        var statement = new CapabilityStatement
        {
            Url = baseUrl + "/metadata",
            Name = "InteropGateway",
            Title = "Interop Gateway: social prescribing between GP systems and housing and welfare providers",
            Status = PublicationStatus.Active,
            Date = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Publisher = "Interop Gateway",
            Kind = CapabilityStatementKind.Instance,
            Software = new CapabilityStatement.SoftwareComponent { Name = "Interop Gateway", Version = typeof(CapabilityStatementBuilder).Assembly.GetName().Version?.ToString() },
            Implementation = new CapabilityStatement.ImplementationComponent { Description = "Interop Gateway FHIR endpoint", Url = baseUrl },
            FhirVersion = FHIRVersion.N4_0_1,
            Format = ["application/fhir+json", "application/fhir+xml", "json", "xml"],
            PatchFormat = typeInteractions.Contains("patch") ? [JsonPatch.MediaType] : [],
        };

        var rest = new CapabilityStatement.RestComponent { Mode = CapabilityStatement.RestfulCapabilityMode.Server, Security = Security(tokenEndpoint) };
        foreach (var type in SupportedResources.Types)
        {
            var interactions = GatewayGuide.IsReadOnly(type) ? typeInteractions.Where(i => !Writes.Contains(i)).ToHashSet()
                // The gateway creates referral Tasks when it routes a ServiceRequest, and never deletes one (ReferralWorkflow).
                : type == "Task" ? typeInteractions.Where(i => i is not ("create" or "delete")).ToHashSet()
                : typeInteractions;
            var component = ResourceComponent(type, interactions);
            if (type == "Task")
            {
                component.Documentation = "Referral Tasks are created by the gateway when it routes a social-prescription ServiceRequest; "
                    + "partners move them through the states of the SDOH Clinical Care guide (plus received) with update or patch; 409 lists the allowed moves.";
            }

            // The profile the server enforces on every write of the type, and every profile of the guide for it.
            component.Profile = guide.DefaultProfile(type)?.Url ?? component.Profile;
            component.SupportedProfile = guide.ProfilesOf(type).ToList();
            if (type == "Subscription")
            {
                TopicBased(component);
            }

            component.Operation = operations
                .Where(o => !o.IsSystemLevel && (o.ResourceType is null || o.ResourceType == type))
                .DistinctBy(o => o.Name)
                .OrderBy(o => o.Name, StringComparer.Ordinal)
                .Select(o => new CapabilityStatement.OperationComponent { Name = o.Name, Definition = o.Definition })
                .ToList();
            rest.Resource.Add(component);
        }

        BulkExport.Describe(statement, rest, operations);
        foreach (var interaction in systemInteractions.Order(StringComparer.Ordinal))
        {
            if (EnumUtility.ParseLiteral<CapabilityStatement.SystemRestfulInteraction>(interaction) is { } code)
            {
                rest.Interaction.Add(new CapabilityStatement.SystemInteractionComponent { Code = code });
            }
        }

        statement.Rest.Add(rest);
        return statement;
    }

    // The R4 Subscriptions Backport IG's way to say which topics the server offers (docs/adr/0008).
    private static void TopicBased(CapabilityStatement.ResourceComponent component)
    {
        component.SupportedProfile = [.. component.SupportedProfile, Subscriptions.Backport.SubscriptionProfile];
        foreach (var topic in Subscriptions.SubscriptionTopic.All)
        {
            component.Extension.Add(new Extension(Subscriptions.Backport.TopicCanonical, new Canonical(topic.Url)));
        }

        component.Documentation = "rest-hook Subscriptions, classic (criteria a search on Task, ServiceRequest or QuestionnaireResponse) or topic-based "
            + "(Subscriptions Backport IG: criteria a topic canonical, filters in backport-filter-criteria). Topics: "
            + string.Join("; ", Subscriptions.SubscriptionTopic.All.Select(t => $"{t.Url} ({t.Description} Filters: {string.Join(", ", t.Filters)})"))
            + ". Notifications are id-only unless backport-payload-content says empty or full-resource; $status reports events-since-subscription-start and errors.";
    }

    private static CapabilityStatement.ResourceComponent ResourceComponent(string type, IReadOnlySet<string> interactions)
    {
        var component = new CapabilityStatement.ResourceComponent
        {
            Type = type,
            Profile = "http://hl7.org/fhir/StructureDefinition/" + type,
            Versioning = CapabilityStatement.ResourceVersionPolicy.VersionedUpdate,
            ReadHistory = interactions.Contains("vread"),
            UpdateCreate = interactions.Contains("update") && interactions.Contains("create"),
            ConditionalCreate = interactions.Contains("create"),
            ConditionalUpdate = interactions.Contains("update"),
            ConditionalRead = CapabilityStatement.ConditionalReadStatus.NotSupported,
            ConditionalDelete = CapabilityStatement.ConditionalDeleteStatus.NotSupported,
        };
        foreach (var interaction in interactions.Order(StringComparer.Ordinal))
        {
            if (EnumUtility.ParseLiteral<CapabilityStatement.TypeRestfulInteraction>(interaction) is { } code)
            {
                component.Interaction.Add(new CapabilityStatement.ResourceInteractionComponent { Code = code });
            }
        }

        if (interactions.Contains("search-type"))
        {
            AddSearch(component, type);
        }

        return component;
    }

    // The parameters the index really holds for the type, so the statement is what search does.
    private static void AddSearch(CapabilityStatement.ResourceComponent component, string type)
    {
        var parameters = SearchParameterRegistry.For(type).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        component.SearchParam.Add(Parameter("_id", SearchParamType.Token, "http://hl7.org/fhir/SearchParameter/Resource-id"));
        component.SearchParam.Add(Parameter("_lastUpdated", SearchParamType.Date, "http://hl7.org/fhir/SearchParameter/Resource-lastUpdated"));
        foreach (var parameter in parameters)
        {
            component.SearchParam.Add(Parameter(parameter.Name, Kind(parameter.Type), parameter.Url));
        }

        var references = parameters.Where(p => p.Type == SearchParamKind.Reference).Select(p => $"{type}:{p.Name}").ToList();
        component.SearchInclude = [$"{type}:*", .. references];
        component.SearchRevInclude = SupportedResources.Types
            .SelectMany(source => SearchParameterRegistry.For(source)
                .Where(p => p.Type == SearchParamKind.Reference && p.TargetTypes.Contains(type))
                .Select(p => $"{source}:{p.Name}"))
            .ToList();
    }

    private static CapabilityStatement.SearchParamComponent Parameter(string name, SearchParamType type, string definition) =>
        new() { Name = name, Type = type, Definition = definition };

    private static SearchParamType Kind(SearchParamKind kind) => kind switch
    {
        SearchParamKind.Token => SearchParamType.Token,
        SearchParamKind.String => SearchParamType.String,
        SearchParamKind.Date => SearchParamType.Date,
        SearchParamKind.Reference => SearchParamType.Reference,
        SearchParamKind.Position => SearchParamType.Special,
        _ => SearchParamType.Uri,
    };

    // SMART App Launch 2.0 conformance: the service code and the oauth-uris extension naming the token endpoint.
    private static CapabilityStatement.SecurityComponent? Security(string? tokenEndpoint)
    {
        if (tokenEndpoint is null)
        {
            return null;
        }

        var security = new CapabilityStatement.SecurityComponent
        {
            Service = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/restful-security-service", "SMART-on-FHIR")],
            Description = "Every interaction but /metadata needs a bearer token from the SMART backend-services token endpoint " +
                "(client_credentials with a private_key_jwt client assertion, RS384 or ES384); see /fhir/.well-known/smart-configuration.",
        };
        var oauth = new Extension { Url = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris" };
        oauth.Extension.Add(new Extension("token", new FhirUri(tokenEndpoint)));
        security.Extension.Add(oauth);
        return security;
    }
}
