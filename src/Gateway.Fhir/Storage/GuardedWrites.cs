using Gateway.Fhir.Access;

namespace Gateway.Fhir.Storage;

/// <summary>
/// The versions this transaction wrote, by key, for <see cref="ReferenceRules"/>: a key is guarded
/// by the targets of its last version whose rows hold a reference the rules guard (an earlier
/// version's targets stay when a later one has none). Asked once, when the transaction's writes
/// are done, so only the newest versions' rows are usually extracted (<see cref="VersionRows"/>).
/// </summary>
internal sealed class GuardedWrites
{
    private readonly Dictionary<long, List<VersionRows>> _versions = [];

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
