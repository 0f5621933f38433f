using System.Globalization;
using System.Text.Json.Nodes;
using Gateway.Fhir.Errors;

namespace Gateway.Fhir.Patching;

/// <summary>
/// The document a patch is being applied to: a private copy changed operation by operation with
/// the rules of RFC 6902 §4, so a failing operation leaves the caller's document untouched.
/// </summary>
internal sealed class PatchedDocument(JsonNode? document)
{
    // ResourceParser's limit: anything deeper would be refused as a resource anyway, and keeping
    // every step within it keeps the recursive JsonNode code (DeepClone, DeepEquals) off a deep stack.
    public const int MaxDepth = 64;

    // copy can double a document with every operation; this caps what copies may add in all.
    public const int MaxCopiedValues = 100_000;

    private int _copiedValues;

    public JsonNode? Root { get; private set; } = document?.DeepClone();

    public void Apply(JsonPatchOperation operation)
    {
        switch (operation.Op)
        {
            case JsonPatchOp.Add:
                Add(operation, operation.Path, operation.Value?.DeepClone());
                break;
            case JsonPatchOp.Remove:
                Remove(operation, operation.Path);
                break;
            case JsonPatchOp.Replace:
                Replace(operation, operation.Value?.DeepClone());
                break;
            case JsonPatchOp.Move:
                Move(operation, operation.From!);
                break;
            case JsonPatchOp.Copy:
                Copy(operation, operation.From!);
                break;
            case JsonPatchOp.Test:
                Test(operation);
                break;
        }
    }

    // RFC 6902 §4.1: an existing member is replaced, an array element is inserted before the index ('-' appends).
    private void Add(JsonPatchOperation operation, JsonPointer path, JsonNode? value)
    {
        CheckDepth(operation, path, value);
        if (path.IsRoot)
        {
            Root = value;
            return;
        }

        switch (Find(operation, path.Parent))
        {
            case JsonObject parent:
                parent[path.Last] = value;
                break;
            case JsonArray parent when JsonPointer.TryArrayIndex(path.Last, parent.Count, allowEnd: true, out var index):
                parent.Insert(index, value);
                break;
            case JsonArray parent:
                throw NotApplicable(operation, $"'{path.Last}' is not an index from 0 to {parent.Count} or '-' in the array at {path.Parent}");
            default:
                throw NotApplicable(operation, $"{path.Parent} is neither an object nor an array, so nothing can be added inside it");
        }
    }

    private JsonNode? Remove(JsonPatchOperation operation, JsonPointer path)
    {
        if (path.IsRoot)
        {
            throw NotApplicable(operation, "the whole document cannot be removed");
        }

        var value = Find(operation, path);
        switch (Find(operation, path.Parent))
        {
            case JsonObject parent:
                parent.Remove(path.Last);
                break;
            case JsonArray parent:
                JsonPointer.TryArrayIndex(path.Last, parent.Count, allowEnd: false, out var index);
                parent.RemoveAt(index);
                break;
        }

        return value;
    }

    // RFC 6902 §4.3: the target must exist; replaced in place, so an object keeps its member order.
    private void Replace(JsonPatchOperation operation, JsonNode? value)
    {
        var path = operation.Path;
        Find(operation, path);
        CheckDepth(operation, path, value);
        if (path.IsRoot)
        {
            Root = value;
            return;
        }

        switch (Find(operation, path.Parent))
        {
            case JsonObject parent:
                parent[path.Last] = value;
                break;
            case JsonArray parent:
                JsonPointer.TryArrayIndex(path.Last, parent.Count, allowEnd: false, out var index);
                parent[index] = value;
                break;
        }
    }

    // RFC 6902 §4.4: from must exist and may not be a proper prefix of path (a value cannot move into itself).
    private void Move(JsonPatchOperation operation, JsonPointer from)
    {
        Find(operation, from);
        if (from.SameAs(operation.Path))
        {
            return;
        }

        if (from.IsProperPrefixOf(operation.Path))
        {
            throw NotApplicable(operation, $"{from} cannot be moved inside itself");
        }

        Add(operation, operation.Path, Remove(operation, from));
    }

    private void Copy(JsonPatchOperation operation, JsonPointer from)
    {
        var value = Find(operation, from)?.DeepClone();
        _copiedValues += Measure(value).Values;
        if (_copiedValues > MaxCopiedValues)
        {
            throw NotApplicable(operation, $"copies would add more than {MaxCopiedValues} values to the document");
        }

        Add(operation, operation.Path, value);
    }

    // RFC 6902 §4.6: equal JSON values; JsonNode.DeepEquals compares numbers by value and objects regardless of member order.
    private void Test(JsonPatchOperation operation)
    {
        var actual = Find(operation, operation.Path);
        if (!JsonNode.DeepEquals(actual, operation.Value))
        {
            throw NotApplicable(operation, $"test failed: the value is {Show(actual)}, not {Show(operation.Value)}");
        }
    }

    /// <summary>The value at <paramref name="pointer"/> (RFC 6901 §4); a 422 naming the first missing step if there is none.</summary>
    private JsonNode? Find(JsonPatchOperation operation, JsonPointer pointer)
    {
        var node = Root;
        for (var i = 0; i < pointer.Tokens.Count; i++)
        {
            var token = pointer.Tokens[i];
            node = node switch
            {
                JsonObject parent when parent.TryGetPropertyValue(token, out var child) => child,
                JsonArray parent when JsonPointer.TryArrayIndex(token, parent.Count, allowEnd: false, out var index) => parent[index],
                JsonArray parent => throw NotApplicable(operation,
                    $"{pointer.Prefix(i + 1)} does not exist: the array at {pointer.Prefix(i)} has {parent.Count} item{(parent.Count == 1 ? "" : "s")}"),
                _ => throw NotApplicable(operation, $"{pointer.Prefix(i + 1)} does not exist"),
            };
        }

        return node;
    }

    private static void CheckDepth(JsonPatchOperation operation, JsonPointer path, JsonNode? value)
    {
        var depth = path.Tokens.Count + Measure(value).Depth;
        if (depth > MaxDepth)
        {
            throw NotApplicable(operation, $"the result would nest {depth} levels deep, more than the {MaxDepth} allowed");
        }
    }

    // Recursion is safe here: every value measured comes from a document or patch held within MaxDepth.
    private static (int Depth, int Values) Measure(JsonNode? node) => node switch
    {
        JsonObject o => Container(o.Select(p => p.Value)),
        JsonArray a => Container(a),
        _ => (0, 1),
    };

    private static (int Depth, int Values) Container(IEnumerable<JsonNode?> children)
    {
        var (depth, values) = (0, 1);
        foreach (var child in children)
        {
            var (childDepth, childValues) = Measure(child);
            depth = Math.Max(depth, childDepth);
            values += childValues;
        }

        return (depth + 1, values);
    }

    private static string Show(JsonNode? value)
    {
        var json = value?.ToJsonString() ?? "null";
        return json.Length <= 100 ? json : string.Concat(json.AsSpan(0, 100), "...");
    }

    private static InvalidPatchException NotApplicable(JsonPatchOperation operation, string problem) =>
        InvalidPatchException.NotApplicable(string.Create(CultureInfo.InvariantCulture, $"{operation}: {problem}."));
}
