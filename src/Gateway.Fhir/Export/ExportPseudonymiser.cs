using System.Text.Json.Nodes;
using Gateway.Fhir.Access;

namespace Gateway.Fhir.Export;

/// <summary>
/// Turns a stored resource into what an evaluator's export holds (SPEC §10, docs/guide-evaluators.md):
/// no NHS number, BSN, name, address, telecom or exact birth date; the ids of the exported types and
/// every reference to them replaced by the evaluator's pseudonyms; a Patient kept to its gender,
/// birth year, postcode district and country. Elements that may carry free text or identifying
/// data are dropped wherever they are, rather than listing what may stay per type: a
/// new element in a profile then stays out of exports until someone decides it may go in.
/// Pure: JSON in, JSON out.
/// </summary>
public static class ExportPseudonymiser
{
    // Identifying or free-text elements, at any depth. "text" is the narrative and CodeableConcept.text;
    // QuestionnaireResponse.item.text (the question, from the Questionnaire) is kept.
    private static readonly HashSet<string> Dropped =
    [
        "identifier", "name", "telecom", "address", "photo", "contact", "link", "note", "contained", "text",
        "description", "patientInstruction", "extension", "modifierExtension", "sourceAttachment",
        "valueString", "valueMarkdown", "valueAttachment", "valueIdentifier", "valueHumanName", "valueAddress", "valueContactPoint",
    ];

    // Reference targets everybody may read (the partner directory, the implementation guide): kept as they are.
    private static readonly HashSet<string> PublicTypes = ["Organization", "Questionnaire", "StructureDefinition", "ValueSet", "CodeSystem", "ConceptMap"];

    private static readonly HashSet<string> ExportedTypes = [.. PartnerVisibility.ExportTypes];

    public static JsonObject Pseudonymise(JsonObject stored, ExportPseudonyms pseudonyms)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(pseudonyms);
        var type = (string?)stored["resourceType"] ?? throw new ArgumentException("A stored resource without resourceType.", nameof(stored));
        var id = (string?)stored["id"] ?? throw new ArgumentException("A stored resource without id.", nameof(stored));
        var resource = type == "Patient" ? PatientOf(stored) : (JsonObject)stored.DeepClone();
        resource["id"] = pseudonyms.Of(type, id);
        if (stored["meta"] is JsonObject meta)
        {
            // versionId and lastUpdated say when; source and tags could name a partner's system or record.
            var kept = new JsonObject();
            foreach (var member in new[] { "versionId", "lastUpdated", "profile" })
            {
                if (meta[member] is { } value)
                {
                    kept[member] = value.DeepClone();
                }
            }

            resource["meta"] = kept;
        }

        foreach (var (key, value) in resource.ToList())
        {
            if (key is "resourceType" or "id" or "meta" || (type == "Patient" && key == "address"))
            {
                continue; // a Patient's address is already its districts
            }

            if (Dropped.Contains(key) || !Scrub(value, pseudonyms, isItem: key == "item"))
            {
                resource.Remove(key);
            }
        }

        return resource;
    }

    // A Patient as an evaluator may have it: built up from what may go, not cut down from what may not.
    private static JsonObject PatientOf(JsonObject patient)
    {
        var kept = new JsonObject { ["resourceType"] = "Patient", ["id"] = patient["id"]?.DeepClone(), ["meta"] = patient["meta"]?.DeepClone() };
        if (patient["gender"] is { } gender)
        {
            kept["gender"] = gender.DeepClone();
        }

        if ((string?)patient["birthDate"] is { Length: >= 4 } birthDate)
        {
            kept["birthDate"] = birthDate[..4];
        }

        if (patient["deceasedBoolean"] is { } deceased)
        {
            kept["deceasedBoolean"] = deceased.DeepClone();
        }
        else if (patient["deceasedDateTime"] is not null)
        {
            kept["deceasedBoolean"] = true;
        }

        var districts = new JsonArray();
        foreach (var address in (patient["address"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (PostcodeDistrict.Of((string?)address["postalCode"]) is { } district)
            {
                var coarse = new JsonObject { ["postalCode"] = district };
                if (address["country"] is { } country)
                {
                    coarse["country"] = country.DeepClone();
                }

                districts.Add(coarse);
            }
        }

        if (districts.Count > 0)
        {
            kept["address"] = districts;
        }

        foreach (var organisation in new[] { "generalPractitioner", "managingOrganization" })
        {
            if (patient[organisation] is { } value)
            {
                kept[organisation] = value.DeepClone();
            }
        }

        return kept;
    }

    // Drops what may identify and rewrites references, at any depth; false when the node is left
    // empty, or is a reference to drop, and should go. isItem: a QuestionnaireResponse item, whose text is the question.
    private static bool Scrub(JsonNode? node, ExportPseudonyms pseudonyms, bool isItem)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["reference"] is JsonValue reference && !Rewrite(obj, (string?)reference, pseudonyms))
                {
                    return false;
                }

                foreach (var (key, value) in obj.ToList())
                {
                    var dropped = Dropped.Contains(key) && !(key == "text" && isItem);
                    if (dropped || !Scrub(value, pseudonyms, isItem: key == "item"))
                    {
                        obj.Remove(key);
                    }
                }

                return obj.Count > 0;
            case JsonArray array:
                for (var i = array.Count - 1; i >= 0; i--)
                {
                    if (!Scrub(array[i], pseudonyms, isItem))
                    {
                        array.RemoveAt(i);
                    }
                }

                return array.Count > 0;
            default:
                return node is not null;
        }
    }

    // Type/id of an exported type becomes the pseudonym; the public directory stays; anything else goes (false).
    private static bool Rewrite(JsonObject reference, string? value, ExportPseudonyms pseudonyms)
    {
        reference.Remove("display");
        var parts = (value ?? "").Split('/');
        var at = Array.LastIndexOf(parts, "_history");
        var (type, id) = at >= 2 ? (parts[at - 2], parts[at - 1]) : parts.Length >= 2 ? (parts[^2], parts[^1]) : ("", "");
        if (ExportedTypes.Contains(type) && id.Length > 0)
        {
            reference["reference"] = $"{type}/{pseudonyms.Of(type, id)}";
            return true;
        }

        return PublicTypes.Contains(type) && !value!.Contains('?', StringComparison.Ordinal);
    }
}
