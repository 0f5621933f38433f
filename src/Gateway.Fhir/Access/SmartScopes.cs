namespace Gateway.Fhir.Access;

/// <summary>
/// SMART system scopes (v2 <c>system/Task.rus</c>, v1 <c>system/Task.read</c>/<c>write</c>/<c>*</c>,
/// wildcard type <c>system/*.rs</c>) as permissions per resource type, and the narrowing of a
/// token request to what a client may have (SMART App Launch 2.0, scopes-and-launch-context).
/// </summary>
public sealed class SmartScopes
{
    public const string RecordsWrite = "gateway/records.write";

    private readonly Dictionary<string, HashSet<char>> _permissions;
    private readonly HashSet<string> _other;

    private SmartScopes(Dictionary<string, HashSet<char>> permissions, HashSet<string> other)
    {
        _permissions = permissions;
        _other = other;
    }

    public static SmartScopes Parse(string? scopes)
    {
        var permissions = new Dictionary<string, HashSet<char>>(StringComparer.Ordinal);
        var other = new HashSet<string>(StringComparer.Ordinal);
        foreach (var scope in (scopes ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!scope.StartsWith("system/", StringComparison.Ordinal) || scope.IndexOf('.', StringComparison.Ordinal) is var dot && dot < 0)
            {
                other.Add(scope);
                continue;
            }

            var type = scope[7..dot];
            var granted = Expand(scope[(dot + 1)..]);
            if (!permissions.TryGetValue(type, out var set))
            {
                permissions[type] = set = [];
            }

            set.UnionWith(granted);
        }

        return new SmartScopes(permissions, other);
    }

    /// <summary>Whether the scopes allow <paramref name="permission"/> (one of c r u d s) on <paramref name="resourceType"/>.</summary>
    public bool Permits(string resourceType, char permission) =>
        (_permissions.TryGetValue(resourceType, out var exact) && exact.Contains(permission))
        || (_permissions.TryGetValue("*", out var any) && any.Contains(permission));

    public bool Has(string scope) => _other.Contains(scope);

    /// <summary>
    /// The part of <paramref name="requested"/> that these (allowed) scopes cover, as a scope
    /// string in v2 form; a request for more than allowed is narrowed, not refused.
    /// </summary>
    public string Narrow(SmartScopes requested)
    {
        var granted = new SortedDictionary<string, HashSet<char>>(StringComparer.Ordinal);
        void Grant(string type, IEnumerable<char> permissions)
        {
            var set = permissions.ToHashSet();
            if (set.Count > 0)
            {
                granted[type] = granted.TryGetValue(type, out var existing) ? [.. existing, .. set] : set;
            }
        }

        foreach (var (type, asked) in requested._permissions)
        {
            if (type == "*")
            {
                // system/*.rs asked of a client allowed system/Task.rus: it gets system/Task.rs.
                foreach (var (allowedType, allowed) in _permissions)
                {
                    Grant(allowedType, asked.Where(allowed.Contains));
                }
            }
            else
            {
                Grant(type, asked.Where(p => Permits(type, p)));
            }
        }

        return string.Join(' ', granted.Select(g => V2(g.Key, g.Value))
            .Concat(requested._other.Where(_other.Contains).Order(StringComparer.Ordinal)));
    }

    /// <summary>These scopes in one v2 form, the same for any two that permit the same (to tell whether two callers may share a transaction).</summary>
    public string Canonical => string.Join(' ', _permissions.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => V2(p.Key, p.Value))
            .Concat(_other.Order(StringComparer.Ordinal)));

    // A resource type's permissions as one SMART v2 scope, its letters in the specification's order.
    private static string V2(string type, IReadOnlySet<char> permissions) => $"system/{type}.{new string("cruds".Where(permissions.Contains).ToArray())}";

    // v1 read = rs, write = cud, * = cruds (SMART 2.0 "scopes for requesting FHIR resources", v1 compatibility).
    private static string Expand(string permissions) => permissions switch
    {
        "read" => "rs",
        "write" => "cud",
        "*" => "cruds",
        _ => permissions,
    };
}
