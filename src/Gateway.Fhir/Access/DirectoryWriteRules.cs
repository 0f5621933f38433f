using Gateway.Fhir.Errors;
using Gateway.Fhir.Partners;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Access;

/// <summary>
/// A partner publishes the local offer only for itself (SPEC §11, docs/security.md): a
/// HealthcareService's <c>providedBy</c> and a Location's <c>managingOrganization</c> name the
/// partner's own Organization or one that is part of it (the organisations its directory source
/// imports are). Naming another partner's would route that partner's referrals by someone else's
/// word, so it is refused, 403, naming the element and the partner, as <see cref="WriteRules"/>
/// refuses other writes in another partner's name. Reading the named Organization is safe: the
/// partner directory is public. The gateway's own writes (the demo seed) are not checked.
/// </summary>
internal static class DirectoryWriteRules
{
    public static async System.Threading.Tasks.Task CheckAsync(ResourceWriter writer, Resource resource, CancellationToken ct)
    {
        if (writer.Caller is not { } caller)
        {
            return;
        }

        var (element, reference, what) = resource switch
        {
            HealthcareService service => ("HealthcareService.providedBy", service.ProvidedBy?.Reference, "publish services"),
            Location location => ("Location.managingOrganization", location.ManagingOrganization?.Reference, "manage venues"),
            _ => (null, null, null),
        };
        if (element is null || reference is null || reference == caller.OrganizationReference)
        {
            return;
        }

        var named = reference.StartsWith("Organization/", StringComparison.Ordinal)
            ? (await writer.ReadCurrentAsync("Organization", reference["Organization/".Length..], ct))?.Resource as Organization
            : null;
        if (named?.PartOf?.Reference == caller.OrganizationReference)
        {
            return;
        }

        var whose = OwnerOf(named) is { } partner ? $"partner {partner}'s organisation" : "not your organisation nor part of it";
        throw new FhirException(403, OperationOutcome.IssueType.Forbidden,
            $"{element} is {reference}, {whose}; a client of {caller.PartnerId} may {what} only for its own organisation ({caller.OrganizationReference}) or an organisation part of it.",
            element);
    }

    // The partner an Organization belongs to: a partner's own (partner-kind type), or the partner it is part of.
    private static string? OwnerOf(Organization? organization) =>
        organization is null ? null
        : organization.Type.Any(t => t.Coding.Any(c => c.System == PartnerOrganization.KindSystem)) ? organization.Id
        : organization.PartOf?.Reference is { } parent && parent.StartsWith("Organization/", StringComparison.Ordinal) ? parent["Organization/".Length..]
        : null;
}
