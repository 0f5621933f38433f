using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Fhir.Errors;

namespace Gateway.Fhir.Patching;

public enum JsonPatchOp
{
    Add,
    Remove,
    Replace,
    Move,
    Copy,
    Test,
}

/// <summary>
/// One operation of a JSON Patch document (RFC 6902 §4), checked when read: an op, a path, and
/// the value or from the op needs. <see cref="Index"/> is its position in the array, from 0.
/// </summary>
public sealed record JsonPatchOperation(int Index, JsonPatchOp Op, JsonPointer Path, JsonPointer? From, JsonNode? Value)
{
    /// <summary>Reads operation <paramref name="index"/>; a malformed one is a 400 that names it.</summary>
    public static JsonPatchOperation Parse(JsonNode? node, int index)
    {
        var at = $"operation {index.ToString(CultureInfo.InvariantCulture)}";
        if (node is not JsonObject operation)
        {
            throw InvalidPatchException.Malformed($"{at}: is not an object with 'op' and 'path'.");
        }

        var opText = Text(operation, "op") ?? throw InvalidPatchException.Malformed($"{at}: has no 'op' string.");
        var op = opText switch
        {
            "add" => JsonPatchOp.Add,
            "remove" => JsonPatchOp.Remove,
            "replace" => JsonPatchOp.Replace,
            "move" => JsonPatchOp.Move,
            "copy" => JsonPatchOp.Copy,
            "test" => JsonPatchOp.Test,
            _ => throw InvalidPatchException.Malformed($"{at}: '{opText}' is not a JSON Patch op (add, remove, replace, move, copy or test)."),
        };

        var pathText = Text(operation, "path") ?? throw InvalidPatchException.Malformed($"{at} ({opText}): has no 'path' string.");
        at = $"{at} ({opText} {(pathText.Length == 0 ? "\"\"" : pathText)})";
        var path = Pointer(pathText, "path", at);

        // RFC 6902 §4: members an op does not define are ignored; the ones it needs must be there ("value": null counts).
        JsonPointer? from = null;
        if (op is JsonPatchOp.Move or JsonPatchOp.Copy)
        {
            from = Pointer(Text(operation, "from") ?? throw InvalidPatchException.Malformed($"{at}: has no 'from' string."), "from", at);
        }

        JsonNode? value = null;
        if (op is JsonPatchOp.Add or JsonPatchOp.Replace or JsonPatchOp.Test && !operation.TryGetPropertyValue("value", out value))
        {
            throw InvalidPatchException.Malformed($"{at}: has no 'value'.");
        }

        return new JsonPatchOperation(index, op, path, from, value);
    }

    /// <summary>How error messages name this operation, e.g. <c>operation 2 (replace /status)</c>.</summary>
    public override string ToString() =>
        $"operation {Index.ToString(CultureInfo.InvariantCulture)} ({Op.ToString().ToLowerInvariant()} {Path})";

    private static string? Text(JsonObject operation, string member) =>
        operation.TryGetPropertyValue(member, out var node) && node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;

    private static JsonPointer Pointer(string text, string member, string at) =>
        JsonPointer.TryParse(text, out var pointer, out var problem)
            ? pointer
            : throw InvalidPatchException.Malformed($"{at}: {member} '{text}' is not a JSON Pointer: {problem}.");
}
