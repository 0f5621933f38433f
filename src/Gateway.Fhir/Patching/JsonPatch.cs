using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Fhir.Errors;

namespace Gateway.Fhir.Patching;

/// <summary>
/// A JSON Patch document (RFC 6902), read and checked whole before anything is applied, then
/// applied all or nothing (RFC 6902 §5). Pure: JSON in, JSON out.
/// </summary>
// Our own rather than Microsoft.AspNetCore.JsonPatch.SystemTextJson 10: given an error callback, its
// ObjectAdapter reports a failed operation and carries on with the next; it names the failing
// operation only by object reference; its converter turns any malformed operation into one generic
// JsonException, and an unknown op (matched case-insensitively) is found only when applied. RFC 6902
// is small enough to own, and this way every error names its operation.
public sealed class JsonPatch
{
    public const string MediaType = "application/json-patch+json";

    // Far beyond any real change to one resource; it bounds the work a single request can ask for.
    public const int MaxOperations = 1000;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = PatchedDocument.MaxDepth, AllowDuplicateProperties = false };

    private JsonPatch(IReadOnlyList<JsonPatchOperation> operations) => Operations = operations;

    public IReadOnlyList<JsonPatchOperation> Operations { get; }

    /// <summary>Reads a patch document; anything malformed is a 400 that names the operation.</summary>
    public static JsonPatch Parse(ReadOnlySpan<byte> utf8Json)
    {
        // Utf8JsonReader rejects a byte order mark.
        utf8Json = utf8Json.StartsWith("\uFEFF"u8) ? utf8Json[3..] : utf8Json;
        if (utf8Json.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw InvalidPatchException.Malformed("The request body is empty: send a JSON Patch document (RFC 6902).");
        }

        JsonNode? document;
        try
        {
            document = JsonNode.Parse(utf8Json, documentOptions: DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw InvalidPatchException.Malformed("The body is not valid JSON: " + ex.Message);
        }

        if (document is not JsonArray operations)
        {
            throw InvalidPatchException.Malformed(
                """A JSON Patch document is an array of operations (RFC 6902 §3), such as [{"op": "replace", "path": "/status", "value": "accepted"}].""");
        }

        if (operations.Count > MaxOperations)
        {
            throw InvalidPatchException.Malformed($"The patch has {operations.Count} operations; this server applies at most {MaxOperations} at once.");
        }

        return new JsonPatch(operations.Select(JsonPatchOperation.Parse).ToList());
    }

    /// <summary>
    /// Applies the operations in order to a copy of <paramref name="document"/>; the first that
    /// cannot be applied stops the patch with a 422 naming it, and nothing is changed.
    /// </summary>
    public JsonNode? Apply(JsonNode? document)
    {
        var patched = new PatchedDocument(document);
        foreach (var operation in Operations)
        {
            patched.Apply(operation);
        }

        return patched.Root;
    }
}
