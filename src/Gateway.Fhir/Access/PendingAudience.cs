using Npgsql;

namespace Gateway.Fhir.Access;

/// <summary>
/// The audiences a write transaction still has to derive again (issue 18): its writes collect
/// the keys they wrote and what their previous versions pointed at, and one
/// <c>refresh_audience</c> derives them all before anything reads as a partner inside the
/// transaction and before it commits (<c>ResourceWriter.SettleAudienceAsync</c>). A referral
/// bundle refreshed five to seven times, each deriving the referral and its patient again.
/// Known to the write's async flow, so <see cref="PartnerVisibility"/> (the one place the audience
/// is read) refuses to build a partner's read on the transaction's connection while its audience
/// is pending: a read path that forgot to settle fails loudly instead of answering from audience
/// rows that do not know the transaction's writes yet.
/// </summary>
internal sealed class PendingAudience
{
    private static readonly AsyncLocal<PendingAudience?> InFlow = new();

    private readonly NpgsqlConnection _connection;
    private readonly HashSet<long> _keys = [];
    private readonly HashSet<string> _previousReferences = new(StringComparer.Ordinal);

    private PendingAudience(NpgsqlConnection connection) => _connection = connection;

    /// <summary>The pending audience of a write transaction on <paramref name="connection"/>, known from here on in the calling async flow (the transaction's).</summary>
    public static PendingAudience Begin(NpgsqlConnection connection) => InFlow.Value = new PendingAudience(connection);

    /// <summary>Whether <paramref name="command"/> would read audience rows its write transaction has not derived yet.</summary>
    public static bool IsUnsettled(NpgsqlCommand command)
    {
        if (InFlow.Value is not { IsEmpty: false } pending)
        {
            return false;
        }

        try
        {
            return ReferenceEquals(command.Connection, pending._connection);
        }
        catch (NotSupportedException)
        {
            return false; // a data source's own command: never on a write transaction
        }
    }

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
