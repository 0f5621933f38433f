using Gateway.Fhir.Access;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Search;
using Gateway.Fhir.Search.Index;
using Gateway.Fhir.Search.Sql;
using Gateway.Fhir.Serialization;
using Gateway.Fhir.Subscriptions;
using Gateway.Fhir.Workflow;
using Hl7.Fhir.Model;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Fhir.Storage;

/// <summary>
/// The write acts of the store, all inside the caller's one transaction (see
/// <see cref="ResourceStore.WriteAsync{T}"/>): the version row, the current-state row and the
/// search index rows of a change commit together or not at all.
/// </summary>
public sealed partial class ResourceWriter
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly ReferralWorkflow _workflow;
    private readonly NotificationOutbox _outbox;
    private readonly EndpointGuard _endpoints;
    private readonly List<ResourceChange> _changes;
    private readonly List<(long Key, int Version, CallingPartner Partner)> _partnerWrites;
    private readonly Deferred _deferred;
    private readonly HeldRows _held;
    // Each written key's versions, for the targets of the references ReferenceRules guards.
    private readonly GuardedWrites _guardedWrites;
    private readonly PendingAudience _audience;
    private readonly ProvenanceTargets _provenanceTargets;
    private readonly ReadBodies _bodies;

    internal ResourceWriter(NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset now, CallingPartner? caller, ReferralWorkflow workflow, NotificationOutbox outbox, EndpointGuard endpoints)
        : this(connection, transaction, now, caller, caller, workflow, outbox, endpoints, [], [], new Deferred(), new HeldRows(), new GuardedWrites(), PendingAudience.Begin(connection), new ProvenanceTargets(), new ReadBodies())
    {
    }

    private ResourceWriter(NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset now, CallingPartner? caller,
        CallingPartner? onBehalfOf, ReferralWorkflow workflow, NotificationOutbox outbox, EndpointGuard endpoints, List<ResourceChange> changes,
        List<(long Key, int Version, CallingPartner Partner)> partnerWrites, Deferred deferred, HeldRows held, GuardedWrites guardedWrites, PendingAudience audience,
        ProvenanceTargets provenanceTargets, ReadBodies bodies)
    {
        _connection = connection;
        _transaction = transaction;
        Now = now;
        Caller = caller;
        OnBehalfOf = onBehalfOf;
        _workflow = workflow;
        _outbox = outbox;
        _endpoints = endpoints;
        _changes = changes;
        _partnerWrites = partnerWrites;
        _deferred = deferred;
        _held = held;
        _guardedWrites = guardedWrites;
        _audience = audience;
        _provenanceTargets = provenanceTargets;
        _bodies = bodies;
    }

    /// <summary>The partner these writes are for (null: the gateway's own work); it sees and may change only what PartnerVisibility allows.</summary>
    public CallingPartner? Caller { get; }

    /// <summary>The partner whose request this transaction serves, also when the gateway writes its follow-ups (Provenance's onBehalfOf).</summary>
    public CallingPartner? OnBehalfOf { get; }

    /// <summary>
    /// The same transaction as the gateway itself: it sees everything and its writes are not a
    /// partner's, so the workflow can do what the rules say follows (route, cancel, release)
    /// whoever's request set it off.
    /// </summary>
    public ResourceWriter AsGateway() =>
        Caller is null ? this : new ResourceWriter(_connection, _transaction, Now, null, OnBehalfOf, _workflow, _outbox, _endpoints, _changes, _partnerWrites, _deferred, _held, _guardedWrites, _audience, _provenanceTargets, _bodies);

    /// <summary>The same transaction seen as <paramref name="partner"/> sees the store: to ask what a subscriber may know of a change.</summary>
    internal ResourceWriter As(CallingPartner partner) =>
        new(_connection, _transaction, Now, partner, OnBehalfOf, _workflow, _outbox, _endpoints, _changes, _partnerWrites, _deferred, _held, _guardedWrites, _audience, _provenanceTargets, _bodies);

    /// <summary>
    /// Runs the workflow's follow-ups of every change of this transaction (and of the follow-ups'
    /// own changes) before it commits, so a referral and its Task, or a Task and its
    /// ServiceRequest, are never stored one without the other.
    /// </summary>
    internal async Task CompleteAsync(CancellationToken ct)
    {
        // What the chunk's records deferred first: the checks below read the index and ask what the partner may see.
        _deferred.Completing = true;
        await FlushDeferredVersionsAsync(ct);
        await FlushDeferredAsync(ct);

        // Once every entry of a bundle is written, so references between its entries resolve;
        // the check asks what the partner may see of what this transaction wrote. Only what this
        // transaction indexed with a reference the rules guard can break them (each write replaces
        // a resource's index rows): a Patient create asks nothing here.
        var targets = _guardedWrites.Targets(_partnerWrites.Select(w => w.Key));
        var guarded = WritesToGuard(targets);
        if (!PointsOnlyAtOwnNew(guarded, targets))
        {
            await SettleAudienceAsync(ct);
            await using var check = Command();
            await ReferenceRules.CheckAsync(check, guarded, ct);
        }

        var gateway = AsGateway();
        // A guard against follow-ups that set each other off for ever, scaled to the request: a
        // 1,000-entry transaction of referrals rightly makes thousands of follow-up changes.
        var limit = 1000 + (20 * _changes.Count);
        for (var i = 0; i < _changes.Count; i++)
        {
            if (i > limit)
            {
                throw new InvalidOperationException($"The workflow's follow-ups did not come to rest after {limit} changes.");
            }

            await _workflow.FollowUpAsync(gateway, _changes[i], ct);
        }

        // The follow-ups' versions of held rows, then their Provenance (whose audience follows what they target).
        await FlushDeferredVersionsAsync(ct);
        await FlushDeferredAsync(ct);

        // After the follow-ups, so their changes notify too; in this transaction, so a notification commits with its change or not at all.
        // It asks what each subscriber may see (a read as that partner, which settles the audience first).
        await _outbox.EnqueueAllAsync(gateway, _changes, ct);

        // Whatever is left, so every read after the commit sees who may read what this transaction wrote.
        await SettleAudienceAsync(ct);
    }

    /// <summary>
    /// Derives again, in one <c>refresh_audience</c>, the audience of everything this transaction
    /// wrote since it last did (<see cref="PendingAudience"/>): before every read as a partner
    /// inside it (<see cref="SettleForPartnerReadAsync"/>) and before it commits.
    /// </summary>
    internal async Task SettleAudienceAsync(CancellationToken ct)
    {
        await using var refresh = _audience.TakeRefresh();
        if (refresh is null)
        {
            return;
        }

        refresh.Connection = _connection;
        refresh.Transaction = _transaction;
        await refresh.ExecuteNonQueryAsync(ct);
    }

    // The partner writes ReferenceRules must check: those with a guarded target, but for a
    // resource whose version before this transaction's first write of it (read under the lock,
    // GuardedWrites.AddBefore) named every such target already, which the check lets stand (a
    // chunk's Task moves, two of every three guarded writes of a wor-export chunk: issue 18's fourteenth pass). The
    // version before is the check's too: each key's first version here by that partner, less one.
    private List<(long Key, int Version, CallingPartner Partner)> WritesToGuard(Dictionary<long, string[]> targets)
    {
        var guarded = _partnerWrites.Where(w => targets.ContainsKey(w.Key)).ToList();
        var first = new Dictionary<(long, string), int>();
        foreach (var (key, version, partner) in guarded)
        {
            first[(key, partner.PartnerId)] = first.TryGetValue((key, partner.PartnerId), out var seen) ? Math.Min(seen, version) : version;
        }

        return guarded.Where(w => !_guardedWrites.HeldBefore(w.Key, first[(w.Key, w.Partner.PartnerId)], targets[w.Key])).ToList();
    }

    // Whether every guarded reference of these writes is to a resource this transaction created,
    // under an id assigned here, for the same partner, with nothing deleted since: the check would
    // find each target stored and, by Audience.sql's created rule, the partner's for good, so it
    // cannot refuse, and the refresh it needs first can wait for the one at the end (a GP's
    // referral bundle: its ServiceRequest points at its new Patient and Consent).
    private bool PointsOnlyAtOwnNew(List<(long Key, int Version, CallingPartner Partner)> writes, Dictionary<long, string[]> targets) =>
        !_changes.Any(c => c.Current is null)
        && writes.All(w => targets[w.Key].All(target => _audience.CreatedUnderNewIdBy(target, w.Partner.PartnerId)));

    // Every statement this writer runs as its caller goes through here first (PartnerVisibility
    // refuses to build one over unsettled audience); the gateway's own reads need no audience, nor
    // a partner's while all that is pending is its own new resources (PendingAudience.OwnNewKeys).
    private Task SettleForPartnerReadAsync(CancellationToken ct) =>
        Caller is null || _audience.OwnNewKeys(Caller.PartnerId) is not null ? Task.CompletedTask : SettleAudienceAsync(ct);

    /// <summary>Whether this transaction created <paramref name="reference"/> under an id it assigned, so nothing stored before it names it (<see cref="PendingAudience"/>).</summary>
    internal bool CreatedUnderNewIdHere(string reference) => _audience.CreatedUnderNewId(reference);

    /// <summary>The versions this transaction has written so far, in order.</summary>
    internal IReadOnlyList<ResourceChange> Changes => _changes;

    /// <summary>How many resource changes this transaction has written so far: none yet means nothing of it needs undoing.</summary>
    internal int ChangeCount => _changes.Count;

    /// <summary>The instant every change of this transaction is stamped with (meta.lastUpdated).</summary>
    public DateTimeOffset Now { get; }

    /// <summary>Creates the resource under a new server-assigned id; an id in the body is ignored (FHIR R4 http.html#create).</summary>
    public Task<StoredResource> CreateAsync(Resource resource, CancellationToken ct) => CreateAsync(resource, NewId(), ct);

    /// <summary>
    /// Creates the resource under an id from <see cref="NewId"/> chosen beforehand: a transaction
    /// must know the ids of all its new resources before writing any, to resolve the references
    /// between them (FHIR R4 http.html#trules).
    /// </summary>
    public async Task<StoredResource> CreateAsync(Resource resource, string newId, CancellationToken ct)
    {
        resource.Id = newId;
        if (DefersCreate(resource))
        {
            await CheckWriteAsync(null, resource, ct);
            return DeferCreate(resource);
        }

        // Its current row in the version's statement (a fresh id collides with nothing).
        return await WriteVersion(null, resource, 1, "POST", null, ct);
    }

    /// <summary>
    /// Creates many of the gateway's own resources in one statement, for records that no workflow
    /// rule, subscription or audience follows (the audit trail): none of them is a change anything reacts to.
    /// </summary>
    public async Task CreateUnwatchedAsync(IReadOnlyList<Resource> resources, CancellationToken ct)
    {
        if (Caller is not null || resources.Any(r => ReferralWorkflow.Watches(r.TypeName) || SubscriptionRules.Watches(r.TypeName) || Audience.Concerns(r.TypeName, null)))
        {
            throw new InvalidOperationException("Only the gateway's own records that nothing follows are created in bulk.");
        }

        var rows = new List<(string, string, byte[], Search.Index.IndexRows)>(resources.Count);
        foreach (var resource in resources)
        {
            resource.Id = NewId();
            resource.Meta ??= new Meta();
            resource.Meta.VersionId = "1";
            resource.Meta.LastUpdated = Now;
            rows.Add((resource.TypeName, resource.Id, FhirSerialization.ToStoredJson(resource), SearchIndexer.Extract(resource)));
        }

        await using var command = IndexSql.InsertMany(rows, Now);
        command.Connection = _connection;
        command.Transaction = _transaction;
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A server-assigned id for a new resource.</summary>
    public static string NewId() => Guid.NewGuid().ToString();

    /// <summary>
    /// Updates the resource with the id in its body, or creates it under that id if it does not
    /// exist (update as create, FHIR R4 http.html#upsert). A deleted resource comes back to life
    /// with the next version number.
    /// </summary>
    public async Task<(StoredResource Stored, bool Created)> UpdateAsync(Resource resource, int? ifMatchVersion, CancellationToken ct)
    {
        var type = resource.TypeName;
        var id = resource.Id ?? throw new ArgumentException("An update needs the resource's id.", nameof(resource));
        while (true)
        {
            if (await LockCurrentRow(type, id, ct) is { } current)
            {
                CheckMayChange(current, type, id);

                if (ifMatchVersion is { } expected && expected != current.Version)
                {
                    throw new PreconditionFailedException(
                        $"If-Match asked for version {expected} of {type}/{id}, but the current version is {current.Version}.");
                }

                var previous = current.IsDeleted || !ReferralWorkflow.Watches(type) ? null : await ReadLockedCurrentAsync(type, id, current.Version, ct);
                return (await WriteVersion(current.Key, resource, current.Version + 1, "PUT", previous, ct), false);
            }

            if (ifMatchVersion is not null)
            {
                throw new PreconditionFailedException($"If-Match was given, but {type}/{id} does not exist.");
            }

            // Two clients creating the same id at once: the loser finds the winner's row and updates it.
            if (await InsertCurrentRow(type, id, ct) is { } key)
            {
                return (await WriteVersion(key, resource, 1, "PUT", null, ct), true);
            }
        }
    }

    /// <summary>
    /// patch (FHIR R4 http.html#patch): the current version is read with its row locked, changed by
    /// <paramref name="patch"/> (pure: current in, patched out) and written as the next version with
    /// method PATCH. The lock makes racing patches apply one after the other, so neither is lost.
    /// </summary>
    public async Task<StoredResource> PatchAsync(string type, string id, int? ifMatchVersion, Func<Resource, Resource> patch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var current = await LockCurrentRow(type, id, ct)
            ?? throw new ResourceNotFoundException($"{type}/{id} is not known to this server.");
        CheckMayChange(current, type, id);
        if (current.IsDeleted)
        {
            throw new ResourceGoneException(type, id, current.Version, current.LastUpdated);
        }

        if (ifMatchVersion is { } expected && expected != current.Version)
        {
            throw new PreconditionFailedException(
                $"If-Match asked for version {expected} of {type}/{id}, but the current version is {current.Version}.");
        }

        var stored = await ReadCurrentAsync(type, id, ct)
            ?? throw new InvalidOperationException($"{type}/{id} is locked and not deleted, yet has no current version.");
        var previous = stored.Resource!;
        return await WriteVersion(current.Key, patch((Resource)previous.DeepCopy()), current.Version + 1, "PATCH", previous, ct);
    }

    /// <summary>Deletes (softly: history keeps every version). Null when there was nothing to delete.</summary>
    public async Task<StoredResource?> DeleteAsync(string type, string id, int? ifMatchVersion, CancellationToken ct)
    {
        ReferralWorkflow.CheckDelete(Caller, type);
        await FlushDeferredVersionsAsync(ct);
        var current = await LockCurrentRow(type, id, ct);
        if (current is { Visible: false })
        {
            current = null; // another partner's: as if it did not exist, If-Match included
        }

        if (current is null || current.IsDeleted)
        {
            if (ifMatchVersion is not null && current?.Version != ifMatchVersion)
            {
                throw new PreconditionFailedException($"If-Match was given, but {type}/{id} does not exist.");
            }

            return null;
        }

        CheckMayChange(current, type, id);
        if (ifMatchVersion is { } expected && expected != current.Version)
        {
            throw new PreconditionFailedException(
                $"If-Match asked for version {expected} of {type}/{id}, but the current version is {current.Version}.");
        }

        var version = current.Version + 1;
        var pointedAt = await PointedAtAsync(current.Key, ct);
        await using var batch = new NpgsqlBatch(_connection, _transaction);
        AddDeletedVersion(batch, current.Key, type, version);
        AddCurrentRowUpdate(batch, current.Key, version, deleted: true);
        IndexSql.AddDeleteCommands(batch, current.Key);
        await batch.ExecuteNonQueryAsync(ct);
        _audience.Add(current.Key, pointedAt);
        HeldDeleted(type, id);
        NotePartnerWrite(current.Key, version);
        _changes.Add(new ResourceChange(type, id, version, null, null, OnBehalfOf));
        return new StoredResource(type, id, version, Now, null);
    }

    /// <summary>
    /// read, or vread when <paramref name="version"/> is given, inside this transaction, so that it
    /// sees the transaction's own writes (a bundle's GET entries run after its writes, FHIR R4
    /// http.html#trules). 404 unknown, 410 deleted, as <see cref="ResourceStore.ReadAsync"/>.
    /// </summary>
    public async Task<StoredResource> ReadAsync(string type, string id, int? version, CancellationToken ct)
    {
        await FlushDeferredVersionsAsync(ct);
        await SettleForPartnerReadAsync(ct);
        await using var command = new NpgsqlCommand { Connection = _connection, Transaction = _transaction };
        command.Parameters.Add(new() { Value = type });
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = (object?)version ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        command.CommandText = $"""
            select v.version, v.last_updated, v.body
            from resource r join resource_version v on v.resource_key = r.resource_key and v.version = coalesce($3, r.version)
            where r.resource_type = $1 and r.resource_id = $2 and {PartnerVisibility.Condition(command, Caller, "r", [type])}
            """;
        return await ResourceStore.ReadOne(command, type, id, ct)
            ?? throw new ResourceNotFoundException(version is null ? $"{type}/{id} is not known to this server." : $"{type}/{id} has no version {version}.");
    }

    public async Task<StoredResource?> ReadCurrentAsync(string type, string id, CancellationToken ct)
    {
        if (HeldCurrent(type, id, out var isHeld) is var held && isHeld)
        {
            return held;
        }

        await using var command = new NpgsqlCommand("""
            select v.version, v.last_updated, v.body
            from resource r join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            where r.resource_type = $1 and r.resource_id = $2 and not r.is_deleted
            """, _connection, _transaction);
        command.Parameters.Add(new() { Value = type });
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var (version, json) = (reader.GetInt32(0), reader.GetFieldValue<byte[]>(2));
        _bodies.Keep(type, id, version, json);
        // Parsed when first asked for (the linker only asks whether a ServiceRequest exists).
        return StoredResource.FromJson(type, id, version, reader.GetFieldValue<DateTimeOffset>(1), json);
    }

    // The current version of a row this transaction has locked at <paramref name="version"/>, as the
    // version an update replaces: only looked at (the write's checks, its ResourceChange.Previous), so
    // a held row's instance itself, not a copy (issue 18, tenth pass); else its body as this
    // transaction last read or wrote it when that is the version, parsed afresh.
    private async Task<Resource?> ReadLockedCurrentAsync(string type, string id, int version, CancellationToken ct) =>
        _held.Rows.TryGetValue((type, id), out var held) ? HeldToLookAt(held)
        : _bodies.Of(type, id, version) is { } json ? FhirSerialization.FromStoredJson(json)
        : (await ReadCurrentAsync(type, id, ct))?.Resource;

    /// <summary>
    /// <see cref="ReadCurrentAsync"/> for a caller that only looks at the resource and never
    /// changes it: a row this transaction holds is answered with the held instance itself, not a
    /// deep copy (issue 18, eighth pass: the linker's ServiceRequest and Patient, two copies a record).
    /// </summary>
    internal async Task<StoredResource?> ReadCurrentToLookAtAsync(string type, string id, CancellationToken ct) =>
        _held.Rows.TryGetValue((type, id), out var held) ? held.Current : await ReadCurrentAsync(type, id, ct);

    /// <param name="existing">The resource's key; null for a new resource under <c>resource.Id</c>, whose current row the version's statement inserts.</param>
    private async Task<StoredResource> WriteVersion(long? existing, Resource resource, int version, string method, Resource? previous, CancellationToken ct)
    {
        await CheckWriteAsync(previous, resource, ct);
        resource.Meta ??= new Meta();
        resource.Meta.VersionId = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        resource.Meta.LastUpdated = Now;
        // Extracted now for a version written now; for a deferred one when its chunk's flush or checks ask.
        var rows = new VersionRows(resource);
        // Serialized once: the version's body, and what a later read of a held row is answered with.
        var json = FhirSerialization.ToStoredJson(resource);
        var audienceChanges = Audience.Concerns(resource.TypeName, Caller, previous, resource);
        long key;
        if (existing is null)
        {
            key = await InsertNewNow(resource, method, json, rows.Rows, ct);
        }
        else
        {
            key = existing.Value;
            if (!DefersVersion(key, resource, version, method, json, rows, audienceChanges))
            {
                await WriteVersionNow(key, resource, version, method, json, rows.Rows, ct);
            }
        }

        if (existing is not null && HeldStoredJson(key, resource, version - 1) is { } before)
        {
            _guardedWrites.AddBefore(key, version - 1, before);
        }

        _guardedWrites.Add(key, rows);

        if (audienceChanges && !DefersAudience(key, resource, version))
        {
            _audience.Add(key, Audience.PointedAt(previous));
        }

        // Version 1 is always of a row this transaction inserted, under the caller's name (created_by);
        // without an existing key, under an id from NewId (CreateAsync).
        if (version == 1)
        {
            _audience.Created(key, $"{resource.TypeName}/{resource.Id}", Caller?.PartnerId, newId: existing is null, Audience.PointedAt(resource));
        }

        // Kept as written, not parsed again when read: a record's next step reads it at once (issue 18's eighth pass).
        HeldWritten(key, resource, version, audienceChanges);
        _bodies.Keep(resource.TypeName, resource.Id!, version, json);
        NotePartnerWrite(key, version);
        _changes.Add(new ResourceChange(resource.TypeName, resource.Id!, version, previous, resource, OnBehalfOf));
        return new StoredResource(resource.TypeName, resource.Id!, version, Now, resource);
    }

    // What a partner's (or the gateway's) write must pass before it is stored, whether now or with its chunk.
    private async Task CheckWriteAsync(Resource? previous, Resource resource, CancellationToken ct)
    {
        TaskReason.DropCarriedOver(previous, resource);
        // Task rules first: they say what the referral allows, where WriteRules would only say "not yours".
        // The workflow's store lookups only after WriteRules, so they tell nothing to who may not write.
        _workflow.CheckTask(Caller, previous, resource);
        WriteRules.Check(Caller, resource);
        await DirectoryWriteRules.CheckAsync(this, resource, ct);
        if (Caller is not null && resource is Subscription subscription)
        {
            SubscriptionRules.Check(subscription);
            await _endpoints.CheckAsync(subscription, ct);
        }

        await ReferralWorkflow.CheckAsync(this, previous, resource, ct);
    }

    private async Task<long> InsertNewNow(Resource resource, string method, byte[] json, Search.Index.IndexRows rows, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(_connection, _transaction);
        batch.BatchCommands.Add(IndexSql.InsertNew(resource.TypeName, resource.Id!, Caller?.PartnerId, Now, method, json, rows));
        return (long)(await batch.ExecuteScalarAsync(ct))!;
    }

    private async Task WriteVersionNow(long key, Resource resource, int version, string method, byte[] json, Search.Index.IndexRows rows, CancellationToken ct)
    {
        // Versions of this resource deferred before this one go first.
        if (_deferred.Versions.Any(v => v.Key == key))
        {
            await FlushDeferredVersionsAsync(ct);
        }

        await using var batch = new NpgsqlBatch(_connection, _transaction);
        // Version 1 is always of a row InsertCurrentRow made in this transaction, as version 1 at
        // Now: it has no index rows to replace and its current row is already right.
        if (version > 1)
        {
            AddCurrentRowUpdate(batch, key, version, deleted: false);
            IndexSql.AddVersionReplacingRows(batch, key, resource.TypeName, version, Now, method, json, rows);
        }
        else
        {
            batch.BatchCommands.Add(IndexSql.InsertVersion(key, resource.TypeName, version, Now, method, json, rows));
        }

        await batch.ExecuteNonQueryAsync(ct);
    }

    private void NotePartnerWrite(long key, int version)
    {
        if (Caller is not null)
        {
            _partnerWrites.Add((key, version, Caller));
        }
    }

    // Another partner's resource does not exist for this caller (SPEC §8: 404, not 403); one it may read but not change is 403.
    private static void CheckMayChange(CurrentRow current, string type, string id)
    {
        if (!current.Visible)
        {
            throw new ResourceNotFoundException($"{type}/{id} is not known to this server.");
        }

        if (!current.Writable)
        {
            throw new FhirException(403, OperationOutcome.IssueType.Forbidden,
                $"{type}/{id} may be read by this client's organisation, but only its author, the referral's requester or the Task's owner may change it.", type);
        }
    }

    // What a resource about to be deleted points at, so their audience is derived again without it.
    private async Task<IReadOnlyCollection<string>> PointedAtAsync(long key, CancellationToken ct)
    {
        await using var command = Command();
        command.CommandText = "select target_type || '/' || target_id from search_reference where resource_key = $1 and target_type in ('ServiceRequest', 'Patient')";
        command.Parameters.Add(new() { Value = key });
        var references = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            references.Add(reader.GetString(0));
        }

        return references;
    }

    private void AddDeletedVersion(NpgsqlBatch batch, long key, string type, int version)
    {
        var insert = new NpgsqlBatchCommand("""
            insert into resource_version (resource_key, version, resource_type, last_updated, method, body)
            values ($1, $2, $3, $4, 'DELETE', null)
            """);
        insert.Parameters.Add(new() { Value = key });
        insert.Parameters.Add(new() { Value = version });
        insert.Parameters.Add(new() { Value = type });
        insert.Parameters.Add(new() { Value = Now });
        batch.BatchCommands.Add(insert);
    }

    private void AddCurrentRowUpdate(NpgsqlBatch batch, long key, int version, bool deleted)
    {
        var current = new NpgsqlBatchCommand("update resource set version = $2, last_updated = $3, is_deleted = $4 where resource_key = $1");
        current.Parameters.Add(new() { Value = key });
        current.Parameters.Add(new() { Value = version });
        current.Parameters.Add(new() { Value = Now });
        current.Parameters.Add(new() { Value = deleted });
        batch.BatchCommands.Add(current);
    }

    private async Task<long?> InsertCurrentRow(string type, string id, CancellationToken ct)
    {
        // The row as version 1 of a live resource at Now: what WriteVersion would set for a create, so it adds no update.
        await using var command = new NpgsqlCommand("""
            insert into resource (resource_type, resource_id, version, last_updated, is_deleted, created_by)
            values ($1, $2, 1, $3, false, $4)
            on conflict (resource_type, resource_id) do nothing
            returning resource_key
            """, _connection, _transaction);
        command.Parameters.Add(new() { Value = type });
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = Now });
        command.Parameters.Add(new() { Value = (object?)Caller?.PartnerId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        return await command.ExecuteScalarAsync(ct) as long?;
    }

    // The body of the version a write replaces is read in a statement of its own, after this lock:
    // joined in here, a write that waited for the lock would see the version its snapshot knew,
    // not the one the other transaction just committed (tried, and the racing-patch tests failed).
    private async Task<CurrentRow?> LockCurrentRow(string type, string id, CancellationToken ct)
    {
        if (HeldLock(type, id) is { } held)
        {
            return held;
        }

        await SettleForPartnerReadAsync(ct);
        await using var command = new NpgsqlCommand { Connection = _connection, Transaction = _transaction };
        command.Parameters.Add(new() { Value = type });
        command.Parameters.Add(new() { Value = id });
        command.CommandText = $"""
            select r.resource_key, r.version, r.is_deleted, r.last_updated,
                   {PartnerVisibility.Condition(command, Caller, "r", [type])}, {PartnerVisibility.WriteCondition(command, Caller, "r", [type])}
            from resource r where r.resource_type = $1 and r.resource_id = $2 for update
            """;
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new CurrentRow(reader.GetInt64(0), reader.GetInt32(1), reader.GetBoolean(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetBoolean(4), reader.GetBoolean(5))
            : null;
    }

    private sealed record CurrentRow(long Key, int Version, bool IsDeleted, DateTimeOffset LastUpdated, bool Visible, bool Writable);
}
