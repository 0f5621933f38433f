using Gateway.Fhir.Partners;
using Gateway.Fhir.Search;
using Gateway.Fhir.Storage;
using Gateway.Fhir.Workflow;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.ServiceDirectory;

/// <summary>
/// Reads the directory entries routing may choose among (SPEC §11), as the gateway inside the
/// write's transaction: the services a ServiceRequest names as performer, and the active services
/// of every category a routing rule chooses from.
/// </summary>
public static class DirectoryServices
{
    // A routing rule's category in one area is a handful of services; a cap keeps a bad directory from slowing every referral.
    private const int MaxPerCategory = 200;

    public static async Task<IReadOnlyList<DirectoryService>> ForRoutingAsync(ResourceWriter gateway, ServiceRequest request, PartnerDirectory partners, CancellationToken ct)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var performer in request.Performer)
        {
            if (performer.Reference is { } reference && reference.StartsWith("HealthcareService/", StringComparison.Ordinal))
            {
                ids.Add(reference["HealthcareService/".Length..]);
            }
        }

        foreach (var category in (partners.File.Routing ?? []).Select(r => r.ServiceCategory).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            var query = SearchQuery.Parse("HealthcareService", $"service-category={Uri.EscapeDataString(category)}&active=true");
            ids.UnionWith(await gateway.FindIdsAsync(query, MaxPerCategory, ct));
        }

        var services = new List<DirectoryService>();
        foreach (var id in ids.Order(StringComparer.Ordinal))
        {
            if ((await gateway.ReadCurrentAsync("HealthcareService", id, ct))?.Resource is HealthcareService service)
            {
                services.Add(await DescribeAsync(gateway, service, partners, ct));
            }
        }

        return services;
    }

    public static async Task<DirectoryService> DescribeAsync(ResourceWriter gateway, HealthcareService service, PartnerDirectory partners, CancellationToken ct)
    {
        var postcodes = new List<string>();
        foreach (var location in service.Location)
        {
            if (location.Reference is { } reference && reference.StartsWith("Location/", StringComparison.Ordinal)
                && (await gateway.ReadCurrentAsync("Location", reference["Location/".Length..], ct))?.Resource is Location { Address.PostalCode: { } postcode })
            {
                postcodes.Add(postcode);
            }
        }

        return new DirectoryService(
            service.Id!,
            service.Name ?? service.Id!,
            service.Active != false,
            ServiceCapacity.Of(service),
            service.Category.SelectMany(c => c.Coding).Select(c => c.Code).OfType<string>().ToList(),
            postcodes,
            await ProviderAsync(gateway, service.ProvidedBy?.Reference, partners, ct));
    }

    // The providing organisation when it is a partner; else the partner it is part of (a directory source's organisations are).
    private static async Task<Partner?> ProviderAsync(ResourceWriter gateway, string? reference, PartnerDirectory partners, CancellationToken ct)
    {
        if (ReferralTask.PartnerId(reference) is not { } id)
        {
            return null;
        }

        if (partners.Find(id) is { } partner)
        {
            return PartnerKinds.IsProvider(partner.Kind) ? partner : null;
        }

        return (await gateway.ReadCurrentAsync("Organization", id, ct))?.Resource is Organization { PartOf.Reference: { } parent }
            && ReferralTask.PartnerId(parent) is { } parentId && partners.Find(parentId) is { } owner && PartnerKinds.IsProvider(owner.Kind)
            ? owner
            : null;
    }
}
