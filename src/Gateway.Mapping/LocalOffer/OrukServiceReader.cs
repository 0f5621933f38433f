using System.Globalization;
using System.Text.Json;

namespace Gateway.Mapping.LocalOffer;

/// <summary>
/// Reads Open Referral UK / HSDS 3 services (docs.openreferral.org, "HSDS 3.0 schema"): a service
/// with its organization, service_at_locations (each a location with addresses and coordinates),
/// contacts, phones and taxonomy terms (HSDS 3's attributes, each naming a taxonomy_term). A file
/// is an array of services or a page of the API (<c>{"contents": [...], "total_pages": n, ...}</c>).
/// </summary>
public static class OrukServiceReader
{
    public const string Format = "oruk-hsds/v3";

    /// <summary>The services of one page or file, in order, each read on its own (one bad service never loses the others).</summary>
    public static IReadOnlyList<DirectoryEntryRead> Read(JsonElement root)
    {
        var services = root.ValueKind == JsonValueKind.Array ? root
            : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("contents", out var contents) && contents.ValueKind == JsonValueKind.Array ? contents
            : throw new JsonException("An Open Referral UK document is an array of services, or an API page with a \"contents\" array.");
        return services.EnumerateArray().Select((service, i) => ReadService(service, i + 1)).ToList();
    }

    /// <summary>The page's <c>total_pages</c>, where it says (HSDS 3 API paginated responses).</summary>
    public static int? TotalPages(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("total_pages", out var total) && total.TryGetInt32(out var pages) ? pages : null;

    private static DirectoryEntryRead ReadService(JsonElement service, int position)
    {
        var at = $"$[{position - 1}]";
        if (service.ValueKind != JsonValueKind.Object)
        {
            return new DirectoryEntryRead("", position, null, [new RecordIssue(RecordIssueCode.InvalidFormat, at, "A service is a JSON object.")]);
        }

        var id = Text(service, "id");
        var name = Text(service, "name");
        var issues = new List<RecordIssue>();
        if (id is null)
        {
            issues.Add(new RecordIssue(RecordIssueCode.Required, at + ".id", "The service has no id; the gateway keys every entry by its source id."));
        }

        if (name is null)
        {
            issues.Add(new RecordIssue(RecordIssueCode.Required, at + ".name", "The service has no name."));
        }

        if (issues.Count > 0)
        {
            return new DirectoryEntryRead(id ?? "", position, null, issues);
        }

        // HSDS 3 status: active, inactive, defunct, temporarily closed.
        var status = Text(service, "status") ?? "active";
        var entry = new DirectoryEntry(
            id!,
            name!,
            Text(service, "description"),
            status == "active",
            Categories(service),
            Organization(service),
            Location(service),
            Contacts(service),
            Capacity: null);
        return new DirectoryEntryRead(id!, position, entry, []);
    }

    private static DirectoryOrganization? Organization(JsonElement service)
    {
        if (service.TryGetProperty("organization", out var organization) && organization.ValueKind == JsonValueKind.Object
            && Text(organization, "id") is { } id)
        {
            return new DirectoryOrganization(id, Text(organization, "name") ?? id);
        }

        return Text(service, "organization_id") is { } organizationId ? new DirectoryOrganization(organizationId, organizationId) : null;
    }

    // The first location of the service (HSDS 3 service_at_locations[].location); its first physical address.
    private static DirectoryLocation? Location(JsonElement service)
    {
        foreach (var at in Array(service, "service_at_locations"))
        {
            var location = at.TryGetProperty("location", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : at;
            if (Text(location, "id") is not { } id)
            {
                continue;
            }

            var address = Array(location, "addresses").Concat(Array(location, "physical_addresses")).FirstOrDefault();
            return new DirectoryLocation(id, Text(location, "name"),
                address.ValueKind == JsonValueKind.Object ? Text(address, "address_1") : null,
                address.ValueKind == JsonValueKind.Object ? Text(address, "city") : null,
                address.ValueKind == JsonValueKind.Object ? Text(address, "postal_code") : null,
                Number(location, "latitude"), Number(location, "longitude"));
        }

        return null;
    }

    private static List<DirectoryCode> Categories(JsonElement service)
    {
        var codes = new List<DirectoryCode>();
        foreach (var attribute in Array(service, "attributes").Concat(Array(service, "taxonomy_terms")))
        {
            var term = attribute.TryGetProperty("taxonomy_term", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : attribute;
            if ((Text(term, "code") ?? Text(term, "id")) is { } code)
            {
                codes.Add(new DirectoryCode(Text(term, "vocabulary") ?? Text(term, "taxonomy"), code, Text(term, "name")));
            }
        }

        return codes;
    }

    private static List<DirectoryContact> Contacts(JsonElement service)
    {
        var contacts = new List<DirectoryContact>();
        foreach (var phone in Array(service, "phones").Concat(Array(service, "contacts").SelectMany(c => Array(c, "phones"))))
        {
            if (Text(phone, "number") is { } number)
            {
                contacts.Add(new DirectoryContact("phone", number));
            }
        }

        foreach (var email in new[] { Text(service, "email") }.Concat(Array(service, "contacts").Select(c => Text(c, "email"))).OfType<string>())
        {
            contacts.Add(new DirectoryContact("email", email));
        }

        if (Text(service, "url") is { } url)
        {
            contacts.Add(new DirectoryContact("url", url));
        }

        return contacts.Distinct().ToList();
    }

    private static List<JsonElement> Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).ToList()
            : [];

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String when !string.IsNullOrWhiteSpace(value.GetString()) => value.GetString()!.Trim(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    private static double? Number(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => value.GetString(),
            _ => null,
        };
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
    }
}
