namespace Gateway.Fhir.Storage;

/// <summary>
/// The stored JSON (UTF-8) of the current versions a transaction read or wrote, by type and id, so that an
/// update that locks a row whose version it already has in hand parses that body again instead of
/// reading it from the store a second time (issue 18, eighth pass: a record's Task was read by the
/// linker, then again for every step it moved). A version's body never changes, so the version the
/// lock answers says whether the body kept here is the current one.
/// </summary>
internal sealed class ReadBodies
{
    private readonly Dictionary<(string Type, string Id), (int Version, byte[] Json)> _bodies = [];

    /// <summary>Kept only of the types whose update reads the version it replaces (<see cref="Workflow.ReferralWorkflow.Watches"/>).</summary>
    public void Keep(string type, string id, int version, byte[] json)
    {
        if (Workflow.ReferralWorkflow.Watches(type))
        {
            _bodies[(type, id)] = (version, json);
        }
    }

    /// <summary>The body of <paramref name="version"/> of the resource, if that is the version kept.</summary>
    public byte[]? Of(string type, string id, int version) =>
        _bodies.TryGetValue((type, id), out var kept) && kept.Version == version ? kept.Json : null;
}
