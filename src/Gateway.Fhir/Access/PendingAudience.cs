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
/// <para>
/// One case needs no refresh before a partner's read: when everything the transaction wrote so
/// far is the partner's own new resources (created here under ids assigned here, pointing only at
/// each other), as in a GP's referral bundle before its referral. Audience.sql's <c>created</c>
/// rule gives a creator its resource, to read and change, for good; nothing stored can depend on
/// ids nobody knew, so deriving them could give that partner nothing else. Its read then
/// counts those keys as its own (<see cref="OwnNewKeys"/>, PartnerVisibility) and the refresh waits
/// for the next read as anyone else, or the commit.
/// </para>
/// </summary>
internal sealed class PendingAudience
{
    private static readonly AsyncLocal<PendingAudience?> InFlow = new();

    private readonly NpgsqlConnection _connection;
    private readonly HashSet<long> _keys = [];
    private readonly HashSet<string> _previousReferences = new(StringComparer.Ordinal);

    // What the transaction wrote (audience-changing writes) and created, for OwnNewKeys: the keys
    // not yet found to be one partner's new resources, whose they all are so far, and whether some
    // write can never be (written twice, not created here, not under a new id, by the gateway).
    private readonly HashSet<long> _written = [];
    private readonly Dictionary<long, Creation> _created = [];
    private readonly Dictionary<string, Creation> _createdByReference = new(StringComparer.Ordinal);
    private readonly List<long> _toVerify = [];
    private string? _ownedBy;
    private bool _notOwnNew;

    private sealed record Creation(string Type, string? PartnerId, bool NewId, string[] PointsAt);

    private PendingAudience(NpgsqlConnection connection) => _connection = connection;

    /// <summary>The pending audience of a write transaction on <paramref name="connection"/>, known from here on in the calling async flow (the transaction's).</summary>
    public static PendingAudience Begin(NpgsqlConnection connection) => InFlow.Value = new PendingAudience(connection);

    /// <summary>
    /// Whether <paramref name="command"/> would read, as <paramref name="partnerId"/>, audience rows
    /// its write transaction has not derived yet; <paramref name="ownNewKeys"/>: when it may all the
    /// same, the pending keys that partner may read and change (<see cref="OwnNewKeys"/>).
    /// </summary>
    public static bool IsUnsettled(NpgsqlCommand command, string partnerId, out IReadOnlyCollection<long>? ownNewKeys)
    {
        ownNewKeys = null;
        if (InFlow.Value is not { IsEmpty: false } pending)
        {
            return false;
        }

        NpgsqlConnection? connection;
        try
        {
            connection = command.Connection;
        }
        catch (NotSupportedException)
        {
            return false; // a data source's own command: never on a write transaction
        }

        if (connection is null)
        {
            // Built before it is given a connection (the writer's searches): its own new keys in case it runs
            // on the transaction's, where the writer settled first unless they are all that is pending; on any
            // other connection those uncommitted keys match nothing.
            ownNewKeys = pending.OwnNewKeys(partnerId);
            return false;
        }

        if (!ReferenceEquals(connection, pending._connection))
        {
            return false;
        }

        ownNewKeys = pending.OwnNewKeys(partnerId);
        return ownNewKeys is null;
    }

    public bool IsEmpty => _keys.Count == 0;

    /// <summary>A version of the resource with <paramref name="key"/> was written or deleted; <paramref name="previousReferences"/>: what its version before pointed at (<see cref="Audience.PointedAt"/>).</summary>
    public void Add(long key, IEnumerable<string> previousReferences)
    {
        _keys.Add(key);
        _previousReferences.UnionWith(previousReferences);
        if (_written.Add(key))
        {
            _toVerify.Add(key);
        }
        else
        {
            _notOwnNew = true;
        }
    }

    /// <summary>
    /// The resource <paramref name="reference"/> (key <paramref name="key"/>) was inserted by this
    /// transaction, as <paramref name="partnerId"/>'s client (<c>created_by</c>; null for the
    /// gateway's own), under an id assigned here (<paramref name="newId"/>) or the client's;
    /// <paramref name="pointsAt"/>: what its audience is derived from (<see cref="Audience.PointedAt"/>).
    /// </summary>
    public void Created(long key, string reference, string? partnerId, bool newId, string[] pointsAt)
    {
        var creation = new Creation(reference[..reference.IndexOf('/', StringComparison.Ordinal)], partnerId, newId, pointsAt);
        _created[key] = creation;
        _createdByReference[reference] = creation;
    }

    /// <summary>
    /// The pending keys <paramref name="partnerId"/> may read and change before they are derived,
    /// or null when a read as it must wait for the refresh. Not null only when every write of the
    /// transaction so far created a resource of that partner's under a new id, pointing at nothing
    /// but such resources: then Audience.sql's <c>created</c> rule gives it every pending key, and
    /// deriving could change no other row of its (nothing stored names an id assigned here).
    /// </summary>
    public IReadOnlyCollection<long>? OwnNewKeys(string partnerId)
    {
        if (_notOwnNew || _previousReferences.Count > 0 || (_ownedBy is not null && _ownedBy != partnerId))
        {
            return null;
        }

        // Each write is looked at once it is found to be the partner's (a bundle asks before every entry).
        var verified = 0;
        foreach (var key in _toVerify)
        {
            if (!_created.TryGetValue(key, out var creation) || !creation.NewId || creation.PartnerId is null)
            {
                _notOwnNew = true;
                return null;
            }

            if (creation.PartnerId != partnerId || !creation.PointsAt.All(r => _createdByReference.TryGetValue(r, out var target) && OwnNew(target, partnerId)))
            {
                break;
            }

            verified++;
        }

        if (verified > 0)
        {
            _ownedBy = partnerId;
            _toVerify.RemoveRange(0, verified);
        }

        return _toVerify.Count == 0 ? _keys : null;
    }

    /// <summary>Whether <paramref name="reference"/> was created in this transaction under an id assigned here, so nothing stored before it names it.</summary>
    public bool CreatedUnderNewId(string reference) => _createdByReference.TryGetValue(reference, out var creation) && creation.NewId;

    /// <summary>Whether <paramref name="reference"/> was created in this transaction, under an id assigned here, by <paramref name="partnerId"/>'s client.</summary>
    public bool CreatedUnderNewIdBy(string reference, string partnerId) =>
        _createdByReference.TryGetValue(reference, out var creation) && OwnNew(creation, partnerId);

    // The creator of each pending key, when every write of the transaction so far (not only the
    // pending ones: an earlier refresh may have derived a referral naming a Patient pending now)
    // created, once, under an id assigned here, a partner's resource of a type no rule of
    // Audience.sql but `created` derives (Audience.OnlyCreatedDerives); else null. Then nothing
    // stored names these keys, nothing written here is of a type whose rules could, and a full
    // derivation (refresh_audience) gives each key its creator's `created` row and nothing else
    // (POST Patient, issue 18's tenth pass: 0.5 ms of refresh_audience a create).
    private Dictionary<long, string>? CreatorsWhenOnlyCreated()
    {
        if (_notOwnNew || _previousReferences.Count > 0
            || !_written.All(key => _created.TryGetValue(key, out var creation) && creation is { NewId: true, PartnerId: not null } && Audience.OnlyCreatedDerives(creation.Type)))
        {
            return null;
        }

        return _keys.ToDictionary(key => key, key => _created[key].PartnerId!);
    }

    private static bool OwnNew(Creation creation, string partnerId) => creation.NewId && creation.PartnerId == partnerId;

    /// <summary>
    /// The one statement that derives everything pending (null when nothing is), which is then no
    /// longer pending: <c>refresh_audience</c>, or only the <c>created</c> rows when those are all
    /// a derivation could give (<see cref="CreatorsWhenOnlyCreated"/>).
    /// </summary>
    public NpgsqlCommand? TakeRefresh()
    {
        if (IsEmpty)
        {
            return null;
        }

        var command = CreatorsWhenOnlyCreated() is { } creators
            ? Audience.CreatedRows([.. _keys], [.. _keys.Select(key => creators[key])])
            : Audience.Refresh(_keys, _previousReferences);
        _keys.Clear();
        _previousReferences.Clear();
        return command;
    }
}
