using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Serialization;
using Gateway.Fhir.Validation;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Patching;

/// <summary>
/// A JSON Patch applied to a resource. FHIR R4 http.html#patch: the server patches its own copy in
/// the patch's format (FHIR JSON here), then treats the result as if it had been sent as an update,
/// so it is parsed and validated exactly like an update's body.
/// </summary>
public static class ResourcePatch
{
    public static Resource Apply(Resource current, JsonPatch patch)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(patch);
        var type = current.TypeName;
        var patched = patch.Apply(JsonNode.Parse(FhirSerialization.ToJson(current)));

        // An update may not change the type or the id either (http.html#update); say so before the parser lists symptoms.
        if (Member(patched, "resourceType") != type)
        {
            throw Invalid($"A patch may not change the resource type: the result is not a {type}.", type);
        }

        if (Member(patched, "id") != current.Id)
        {
            throw Invalid($"A patch may not change or remove the id: the result's id must stay {current.Id}.", $"{type}.id");
        }

        var parsed = ResourceParser.ParseJson(Encoding.UTF8.GetBytes(patched!.ToJsonString()));
        return parsed.Succeeded ? parsed.Resource! : throw new InvalidResourceException(parsed.Issues);
    }

    private static string? Member(JsonNode? document, string name) =>
        document is JsonObject resource && resource[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : null;

    private static InvalidResourceException Invalid(string diagnostics, string expression) =>
        new([FhirException.Issue(OperationOutcome.IssueType.Invalid, diagnostics, expression)]);
}
