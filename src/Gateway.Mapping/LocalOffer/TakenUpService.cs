using System.Text.RegularExpressions;
using Hl7.Fhir.Model;

namespace Gateway.Mapping.LocalOffer;

/// <summary>How a record names a directory service (SPEC §11): the gateway's HealthcareService id, or the partner's own source id.</summary>
public enum ServiceKeyKind
{
    /// <summary>The gateway's id: <c>HealthcareService/{id}</c> or the bare id, as search results and referral/v1's <c>directoryService</c> give it.</summary>
    GatewayId,

    /// <summary>The id the sending partner's own directory source gives the service (its ORUK service id, its activities CSV <c>id</c>).</summary>
    SourceId,
}

/// <summary>A directory service named in a partner record, as written there (a gateway id without its <c>HealthcareService/</c> prefix).</summary>
public readonly record struct ServiceKey(ServiceKeyKind Kind, string Value)
{
    public static ServiceKey Of(ServiceKeyKind kind, string written) =>
        new(kind, kind == ServiceKeyKind.GatewayId && written.StartsWith("HealthcareService/", StringComparison.Ordinal) ? written["HealthcareService/".Length..] : written.Trim());
}

/// <summary>A HealthcareService of the directory as a record's check needs it.</summary>
public sealed record KnownService(string Id, string? Name, bool Active)
{
    public string Reference => "HealthcareService/" + Id;
}

/// <summary>The directory services a record may name, looked up by the caller before mapping (the mapping itself does no I/O).</summary>
public delegate KnownService? ServiceLookup(ServiceKey key);

/// <summary>
/// The service a record says the patient took up, checked against the directory: it becomes a
/// <c>resulting-activity</c> Task output referencing the HealthcareService, as a provider records it
/// by FHIR. An unknown or inactive service is an issue at the field that names it.
/// </summary>
public static partial class TakenUpService
{
    /// <param name="location">Where the record names it: <c>$.activities[0].serviceId</c>, <c>row 3, column activiteit_id</c>.</param>
    /// <param name="services">The caller's lookup; null leaves the directory check to the caller (offline validation), and then no output is made.</param>
    public static Hl7.Fhir.Model.Task.OutputComponent? Check(ServiceKey key, string location, ServiceLookup? services, ICollection<RecordIssue> issues)
    {
        ArgumentNullException.ThrowIfNull(issues);
        if (key.Kind == ServiceKeyKind.GatewayId && !FhirId().IsMatch(key.Value))
        {
            issues.Add(new(RecordIssueCode.InvalidFormat, location, $"'{key.Value}' is not a HealthcareService id; expected HealthcareService/{{id}} or the id alone (letters, digits, '-' and '.', at most 64)."));
            return null;
        }

        if (services is null)
        {
            return null;
        }

        var service = services(key);
        if (service is null)
        {
            issues.Add(new(RecordIssueCode.UnknownService, location, key.Kind == ServiceKeyKind.GatewayId
                ? $"'{key.Value}' is not a service in the gateway's directory; expected the id of a HealthcareService (GET /fhir/HealthcareService lists them; referral/v1 gives the referral's as directoryService)."
                : $"'{key.Value}' is not a service of your directory source; expected the id your Open Referral UK API or welfare-activities/v1 file gives the service, once the gateway has imported it."));
            return null;
        }

        if (!service.Active)
        {
            issues.Add(new(RecordIssueCode.InvalidValue, location,
                $"'{key.Value}' names {service.Reference} ({service.Name}), which is not active: withdrawn, or gone from its directory source. Record a service that runs."));
            return null;
        }

        return TaskOutputs.ResultingService(service.Reference, service.Name);
    }

    // FHIR R4 id: [A-Za-z0-9\-\.]{1,64}.
    [GeneratedRegex(@"^[A-Za-z0-9\-\.]{1,64}$")]
    private static partial Regex FhirId();
}
