using System.Runtime.CompilerServices;
using Npgsql;

namespace Gateway.Fhir.Access;

/// <summary>
/// The audiences a write transaction still has to derive again (issue 18): its writes collect
/// the keys they wrote and what their previous versions pointed at, and one
/// <c>refresh_audience</c> derives them all before anything reads as a partner inside the
/// transaction and before it commits (<c>ResourceWriter.SettleAudienceAsync</c>). A referral
/// bundle refreshed five to seven times, each deriving the referral and its patient again.
/// Kept per connection, so <see cref="PartnerVisibility"/> (the one place the audience is read)
/// refuses to build a partner's read over a connection whose audience is not settled: a read
/// path that forgot to settle fails loudly instead of answering from stale audience rows.
/// </summary>
internal sealed class PendingAudience
{
    private static readonly ConditionalWeakTable<NpgsqlConnection, PendingAudience> ByConnection = [];

    private readonly HashSet<long> _keys = [];
    private readonly HashSet<string> _previousReferences = new(StringComparer.Ordinal);

    /// <summary>The pending audience of the transaction on <paramref name="connection"/>, made when its writer starts.</summary>
    public static PendingAudience On(NpgsqlConnection connection) => ByConnection.GetValue(connection, _ => new PendingAudience());

    /// <summary>Whether a statement on <paramref name="connection"/> would read audience rows its transaction has not derived yet.</summary>
    public static bool IsUnsettled(NpgsqlConnection? connection) =>
        connection is not null && ByConnection.TryGetValue(connection, out var pending) && !pending.IsEmpty;

    public bool IsEmpty => _keys.Count == 0;

    /// <summary>A version of the resource with <paramref name="key"/> was written or deleted; <paramref name="previousReferences"/>: what its version before pointed at (<see cref="Audience.PointedAt"/>).</summary>
    public void Add(long key, IEnumerable<string> previousReferences)
    {
        _keys.Add(key);
        _previousReferences.UnionWith(previousReferences);
    }

    /// <summary>The one refresh of everything pending (null when nothing is), which is then no longer pending.</summary>
    public NpgsqlCommand? TakeRefresh()
    {
        if (IsEmpty)
        {
            return null;
        }

        var command = Audience.Refresh(_keys, _previousReferences);
        _keys.Clear();
        _previousReferences.Clear();
        return command;
    }
}
