using Gateway.Fhir.Access;

namespace Gateway.Fhir.Storage;

/// <summary>
/// The versions this transaction wrote, by key, for <see cref="ReferenceRules"/>: a key is guarded
/// by the targets of its last version whose rows hold a reference the rules guard (an earlier
/// version's targets stay when a later one has none). Asked once, when the transaction's writes
/// are done, so only the newest versions' rows are usually extracted (<see cref="VersionRows"/>).
/// Also the stored body of the version before a key's first write here, where the transaction read
/// it under its lock (a chunk's held Tasks): the check lets a reference that version held stand,
/// so a write whose every guarded target that body names cannot be refused, and is not asked.
/// </summary>
internal sealed class GuardedWrites
{
    private readonly Dictionary<long, List<VersionRows>> _versions = [];
    private readonly Dictionary<long, (int Version, byte[] Utf8Json)> _before = [];

    /// <summary>
    /// Before the first version this transaction writes of <paramref name="key"/>: the stored JSON
    /// of <paramref name="version"/>, the one before it, as read under this transaction's lock.
    /// Ignored once the key has a version here.
    /// </summary>
    public void AddBefore(long key, int version, byte[] utf8Json)
    {
        if (!_versions.ContainsKey(key))
        {
            _before.TryAdd(key, (version, utf8Json));
        }
    }

    /// <summary>
    /// Whether the stored body of the version before <paramref name="firstVersion"/> (the first this
    /// transaction wrote of <paramref name="key"/>) names each of <paramref name="targets"/> as
    /// ReferenceRules' check looks for it (<c>"Type/id"</c>, quoted), so the check cannot refuse it.
    /// </summary>
    public bool HeldBefore(long key, int firstVersion, string[] targets) =>
        _before.TryGetValue(key, out var before) && before.Version == firstVersion - 1
        && Array.TrueForAll(targets, target => Names(before.Utf8Json, target));

    // Whether the JSON holds "target" as a whole string, as strpos(body::text, '"' || target || '"') finds it.
    private static bool Names(byte[] utf8Json, string target)
    {
        // On the stack for the short "Type/id" a reference is; a reference as long as a record allows is not.
        var size = System.Text.Encoding.UTF8.GetMaxByteCount(target.Length) + 2;
        Span<byte> quoted = size <= 512 ? stackalloc byte[size] : new byte[size];
        quoted[0] = (byte)'"';
        var length = System.Text.Encoding.UTF8.GetBytes(target, quoted[1..]) + 1;
        quoted[length] = (byte)'"';
        return utf8Json.AsSpan().IndexOf(quoted[..(length + 1)]) >= 0;
    }

    public void Add(long key, VersionRows rows)
    {
        if (!_versions.TryGetValue(key, out var versions))
        {
            _versions[key] = versions = [];
        }

        versions.Add(rows);
    }

    /// <summary>The guarded targets (<c>Type/id</c>) of those of <paramref name="keys"/> with any, from each one's last version that has some.</summary>
    public Dictionary<long, string[]> Targets(IEnumerable<long> keys)
    {
        var targets = new Dictionary<long, string[]>();
        foreach (var key in keys)
        {
            if (targets.ContainsKey(key) || !_versions.TryGetValue(key, out var versions))
            {
                continue;
            }

            for (var i = versions.Count - 1; i >= 0; i--)
            {
                if (ReferenceRules.Guards(versions[i].Rows))
                {
                    targets[key] = ReferenceRules.GuardedTargets(versions[i].Rows);
                    break;
                }
            }
        }

        return targets;
    }
}
