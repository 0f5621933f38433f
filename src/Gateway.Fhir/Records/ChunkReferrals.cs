using Gateway.Fhir.Partners;
using Gateway.Fhir.Storage;
using Gateway.Fhir.Validation.Profiles;
using Gateway.Mapping;
using NpgsqlTypes;

namespace Gateway.Fhir.Records;

/// <summary>
/// The referral Tasks a chunk's records name, found in one query for the whole chunk (issue 18)
/// instead of two searches a record: by the ServiceRequest identifier (a wor-export row's
/// verwijzing id from the referring practice, a housing-case's referral number) and the Task on it
/// the sending partner owns. The same matches the searches of <see cref="ReferralLinker"/> make
/// (token code and system, literal references, not deleted), so the linker then picks among these
/// Tasks as it picks among the searches' answers. A link not looked up here (by Task id, a
/// BSN-shaped code the token search refuses to match) or that matched nothing here goes the searches' way.
/// </summary>
public sealed class ChunkReferrals
{
    private readonly Dictionary<(string? System, string Code, string? Practice), List<string>> _tasks = [];

    private ChunkReferrals()
    {
    }

    /// <summary>No lookups: every link goes the searches' way (a record processed alone).</summary>
    public static ChunkReferrals None { get; } = new();

    public static async Task<ChunkReferrals> FindAsync(ResourceWriter gateway, IEnumerable<ReferralLink> links, string partnerId, PartnerDirectory partners, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var keys = links.SelectMany(link => Keys(link, partners)).Distinct().ToList();
        var found = new ChunkReferrals();
        if (keys.Count == 0)
        {
            return found;
        }

        foreach (var key in keys)
        {
            found._tasks[key] = [];
        }

        await using var command = gateway.Command();
        // One probe of the identifier a key (the lateral subquery, kept apart by offset 0) and index
        // lookups from there: joined as a whole, the planner walked every ServiceRequest identifier
        // (a merge join) or, once the store grew, every Task's focus row and the whole resource table
        // (a hash join), a chunk's lookup growing with the store; the practice's check as a left join
        // on the referral's own rows, where an exists became a hashed walk of all the practice's referrals.
        command.CommandText = """
            select n.system, n.code, n.practice, m.task_id
            from unnest($1::text[], $2::text[], $3::text[]) n(system, code, practice)
            cross join lateral (
                select t.resource_id as task_id
                from search_token i
                join resource sr on sr.resource_key = i.resource_key and not sr.is_deleted
                left join search_reference q on q.resource_key = sr.resource_key and q.resource_type = 'ServiceRequest' and q.param = 'requester'
                    and q.target_id = n.practice and q.target_type = 'Organization'
                join search_reference f on f.resource_type = 'Task' and f.param = 'focus' and f.target_type = 'ServiceRequest' and f.target_id = sr.resource_id
                join search_reference o on o.resource_key = f.resource_key and o.param = 'owner' and o.target_type = 'Organization' and o.target_id = $4
                join resource t on t.resource_key = f.resource_key and not t.is_deleted
                where i.resource_type = 'ServiceRequest' and i.param = 'identifier' and i.code = n.code
                  and (n.system is null or i.system = n.system)
                  and (n.practice is null or q.resource_key is not null)
                offset 0) m
            """;
        command.Parameters.Add(new() { Value = keys.Select(k => k.System).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = keys.Select(k => k.Code).ToArray() });
        command.Parameters.Add(new() { Value = keys.Select(k => k.Practice).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = partnerId });
        // Planned for its values: in the write connection's auto mode, after about 47,500 rows of a
        // 100,000-row file, this lookup ran over a minute a chunk, where its custom plan is index
        // probes only and 1 s at most (docs/performance.md, issue 18's fifth pass).
        var rows = await gateway.CustomPlannedAsync(command, null,
            reader => (Key: (reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)), Task: reader.GetString(3)), ct);
        foreach (var (key, task) in rows)
        {
            var tasks = found._tasks[key];
            if (!tasks.Contains(task))
            {
                tasks.Add(task);
            }
        }

        return found;
    }

    /// <summary>Every Task the lookup found, for the chunk's other per-Task reads.</summary>
    public IReadOnlyCollection<string> TaskIds() => _tasks.Values.SelectMany(t => t).ToHashSet(StringComparer.Ordinal);

    /// <summary>The Tasks the link names that the partner owns, or null when the link goes the searches' way.</summary>
    public IReadOnlyList<string>? TaskIds(ReferralLink link, PartnerDirectory partners)
    {
        var keys = Keys(link, partners).ToList();
        if (keys.Count == 0 || keys.Any(k => !_tasks.ContainsKey(k)))
        {
            return null;
        }

        var tasks = keys.SelectMany(k => _tasks[k]).Distinct().ToList();
        return tasks.Count > 0 ? tasks : null;
    }

    // What ReferralLinker searches for: the identifier (with its system when the record gives one), from each practice with the AGB code.
    private static IEnumerable<(string? System, string Code, string? Practice)> Keys(ReferralLink link, PartnerDirectory partners)
    {
        if (link.GatewayTaskId is not null)
        {
            return [];
        }

        if (link.ServiceRequestIdentifier is { Value: { } value } identifier)
        {
            return LeftToSearch(value) || identifier.System is null ? [] : [(identifier.System, value, null)];
        }

        if (link.VerwijzingId is { } verwijzing && link.ReferringPracticeAgb is { } agb && !LeftToSearch(verwijzing))
        {
            return partners.Partners.Where(p => p.Identifiers?.Any(i => i.System == Canonicals.AgbCode && i.Value == agb) == true)
                .Select(p => ((string?)null, verwijzing, (string?)p.Id));
        }

        return [];
    }

    // Left to the search: a BSN-shaped code (TokenSql never matches one), and one with what the search escapes or trims.
    private static bool LeftToSearch(string code) => code.Length == 0 || code.Trim() != code || code.AsSpan().IndexOfAny("|\\,$") >= 0
        || IdentifierCheckDigits.IsValidBsn(code) || IdentifierCheckDigits.IsValidBsn("0" + code);
}
