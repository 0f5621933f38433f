using Gateway.Fhir.Access;
using Gateway.Fhir.Conformance;
using Gateway.Fhir.Search;
using Gateway.Fhir.Serialization;
using Gateway.Fhir.Storage;
using Gateway.Mapping.LocalOffer;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.ServiceDirectory;

/// <summary>
/// Applies directory entries to the store as the partner whose source they come from (SPEC §11),
/// one transaction per entry: its Organization (part of the partner), Location and HealthcareService,
/// each found by the source's identifier so a re-import updates rather than duplicates, a version
/// written only where something changed. <see cref="RetireMissingAsync"/> makes what a complete
/// import of the same source no longer lists <c>active = false</c>. Capacity the source does not state is kept as the provider last set it.
/// </summary>
public sealed class DirectoryImport(ResourceStore store)
{
    /// <summary>
    /// The identifier system of a partner's directory source in one format (its ORUK API and ORUK files are one source, its
    /// activities CSV another); values are <c>service:</c>, <c>location:</c>, <c>organization:</c> and the source's id.
    /// </summary>
    public static string SourceSystem(string partnerId, string format) =>
        SourceSystemPrefix(partnerId) + format.Split('/')[0];

    /// <summary>What the identifier systems of all a partner's directory sources start with.</summary>
    public static string SourceSystemPrefix(string partnerId) =>
        $"{GatewayGuide.CanonicalBase}/NamingSystem/directory-source/{partnerId}/";

    public async Task<DirectoryEntryOutcome> ApplyAsync(CallingPartner caller, string format, DirectoryEntryRead read, CancellationToken ct)
    {
        if (read.Entry is not { } entry)
        {
            return new DirectoryEntryOutcome(read.SourceId, read.Position, DirectoryEntryOutcome.Rejected, null, read.Issues);
        }

        return await store.WriteAsync(async writer =>
        {
            var system = SourceSystem(caller.PartnerId, format);
            var changed = false;
            var provider = caller.OrganizationReference;
            if (entry.Organization is { } organization && organization.SourceId != caller.PartnerId)
            {
                var (reference, outcome) = await UpsertAsync(writer, new Organization
                {
                    Identifier = [new Identifier(system, "organization:" + organization.SourceId)],
                    Active = true,
                    Name = organization.Name,
                    PartOf = new ResourceReference(caller.OrganizationReference),
                }, ct);
                provider = reference;
                changed |= outcome != DirectoryEntryOutcome.Unchanged;
            }

            string? locationReference = null;
            if (entry.Location is { } place)
            {
                var location = new Location
                {
                    Identifier = [new Identifier(system, "location:" + place.SourceId)],
                    Status = Location.LocationStatus.Active,
                    Name = place.Name,
                    Address = new Address { Line = place.Line is null ? [] : [place.Line], City = place.City, PostalCode = place.Postcode },
                    ManagingOrganization = new ResourceReference(provider),
                };
                if (place is { Latitude: { } latitude, Longitude: { } longitude })
                {
                    location.Position = new Location.PositionComponent { Latitude = (decimal)latitude, Longitude = (decimal)longitude };
                }

                var (reference, outcome) = await UpsertAsync(writer, location, ct);
                locationReference = reference;
                changed |= outcome != DirectoryEntryOutcome.Unchanged;
            }

            var service = new HealthcareService
            {
                Meta = new Meta { Profile = [GatewayGuide.Canonical("StructureDefinition", "directory-healthcareservice")] },
                Identifier = [new Identifier(system, "service:" + entry.SourceId)],
                Active = entry.Active,
                ProvidedBy = new ResourceReference(provider),
                Category = entry.Categories.Select(c => new CodeableConcept(c.System, c.Code, c.Display)).ToList(),
                Name = entry.Name,
                Comment = entry.Description,
                Location = locationReference is null ? [] : [new ResourceReference(locationReference)],
                Telecom = entry.Contacts.Select(c => new ContactPoint(Enum.Parse<ContactPoint.ContactPointSystem>(c.System, ignoreCase: true), null, c.Value)).ToList(),
            };
            if (entry.Capacity is { } capacity)
            {
                new ServiceCapacity(capacity.AcceptsReferrals, capacity.WaitDays is { } days ? ServiceCapacity.Days(days) : null).ApplyTo(service);
            }

            var (serviceReference, serviceOutcome) = await UpsertAsync(writer, service, ct, keepCapacity: entry.Capacity is null);
            var result = serviceOutcome == DirectoryEntryOutcome.Unchanged && changed ? DirectoryEntryOutcome.Updated : serviceOutcome;
            return new DirectoryEntryOutcome(entry.SourceId, read.Position, result, serviceReference, []);
        }, ct, caller);
    }

    /// <summary>After a complete import: the partner's active services its source no longer lists become <c>active = false</c>.</summary>
    public async Task<IReadOnlyList<DirectoryEntryOutcome>> RetireMissingAsync(CallingPartner caller, string format, IReadOnlySet<string> seenSourceIds, CancellationToken ct)
    {
        var system = SourceSystem(caller.PartnerId, format);
        return await store.WriteAsync(async writer =>
        {
            var retired = new List<DirectoryEntryOutcome>();
            var ids = await writer.FindIdsAsync(SearchQuery.Parse("HealthcareService", $"identifier={Uri.EscapeDataString(system)}|&active=true"), 10_000, ct);
            foreach (var id in ids)
            {
                if ((await writer.ReadCurrentAsync("HealthcareService", id, ct))?.Resource is not HealthcareService service
                    || service.Identifier.FirstOrDefault(i => i.System == system)?.Value is not { } value
                    || !value.StartsWith("service:", StringComparison.Ordinal) || seenSourceIds.Contains(value["service:".Length..]))
                {
                    continue;
                }

                service.Active = false;
                await writer.UpdateAsync(service, null, ct);
                retired.Add(new DirectoryEntryOutcome(value["service:".Length..], null, DirectoryEntryOutcome.Deactivated, $"HealthcareService/{id}", []));
            }

            return retired;
        }, ct, caller);
    }

    private static async Task<(string Reference, string Outcome)> UpsertAsync(ResourceWriter writer, DomainResource resource, CancellationToken ct, bool keepCapacity = false)
    {
        var identifier = resource switch
        {
            Organization o => o.Identifier[0],
            Location l => l.Identifier[0],
            HealthcareService h => h.Identifier[0],
            _ => throw new ArgumentException($"A directory import writes no {resource.TypeName}.", nameof(resource)),
        };
        var type = resource.TypeName;
        var found = await writer.FindIdsAsync(SearchQuery.Parse(type, $"identifier={Uri.EscapeDataString(identifier.System!)}|{Uri.EscapeDataString(identifier.Value!)}"), 1, ct);
        if (found.Count == 0)
        {
            var created = await writer.CreateAsync(resource, ct);
            return ($"{type}/{created.Id}", DirectoryEntryOutcome.Created);
        }

        var current = (await writer.ReadCurrentAsync(type, found[0], ct))?.Resource as DomainResource;
        resource.Id = found[0];
        if (keepCapacity && current is HealthcareService before && resource is HealthcareService after)
        {
            ServiceCapacity.Of(before).ApplyToIfStated(before, after);
        }

        if (current is not null && SameContent(current, resource))
        {
            return ($"{type}/{found[0]}", DirectoryEntryOutcome.Unchanged);
        }

        await writer.UpdateAsync(resource, null, ct);
        return ($"{type}/{found[0]}", DirectoryEntryOutcome.Updated);
    }

    private static bool SameContent(Resource stored, Resource wanted)
    {
        var left = (Resource)stored.DeepCopy();
        var right = (Resource)wanted.DeepCopy();
        left.Meta = null;
        right.Meta = null;
        return FhirSerialization.ToJson(left) == FhirSerialization.ToJson(right);
    }
}
