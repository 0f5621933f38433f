namespace Gateway.Fhir.Storage;

/// <summary>
/// The resources a write transaction created, by whom and under what id (issue 18): two questions
/// the workflow asks before a referral is written are answered from here instead of the store.
/// <list type="bullet">
/// <item>May the partner see this Patient? Yes if its client created it: Audience.sql's
/// <c>created</c> rule gives every creator its resource for good, and asking the store would
/// first derive the transaction's audience.</item>
/// <item>Has this Patient an active referral already? Not before this transaction if it was
/// created under a new server-assigned id: nothing stored could name an id nobody knew.</item>
/// </list>
/// </summary>
internal sealed class CreatedHere
{
    private readonly Dictionary<string, (string? PartnerId, bool NewId)> _created = new(StringComparer.Ordinal);

    /// <param name="reference"><c>Patient/…</c></param>
    /// <param name="partnerId">Whose client created it (<c>created_by</c>); null for the gateway's own.</param>
    /// <param name="newId">Whether its id was assigned here (<see cref="ResourceWriter.NewId"/>), not chosen by the client (update as create).</param>
    public void Add(string reference, string? partnerId, bool newId) => _created[reference] = (partnerId, newId);

    /// <summary>Whether <paramref name="partnerId"/>'s client created <paramref name="reference"/> in this transaction.</summary>
    public bool By(string reference, string partnerId) => _created.TryGetValue(reference, out var created) && created.PartnerId == partnerId;

    /// <summary>Whether <paramref name="reference"/> was created in this transaction under an id assigned here.</summary>
    public bool UnderNewId(string reference) => _created.TryGetValue(reference, out var created) && created.NewId;
}
