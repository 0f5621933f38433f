using Gateway.Fhir.Errors;
using Gateway.Fhir.Search;
using Gateway.Fhir.Search.Sql;
using Gateway.Fhir.Workflow;
using Hl7.Fhir.Model;
using Npgsql;

namespace Gateway.Fhir.Storage;

/// <summary>The conditional acts (FHIR R4 http.html#ccreate, #cond-update) and the searches they rest on, inside the writer's transaction.</summary>
public sealed partial class ResourceWriter
{
    /// <summary>
    /// Create, or conditional create when <paramref name="criteria"/> is given (FHIR R4
    /// http.html#ccreate): no match creates, one match is returned untouched (Created = false),
    /// several are 412. The search and the create share this transaction and a lock on the
    /// criteria, so racing identical requests make one resource. A Patient is also matched to the
    /// person the gateway knows (<see cref="PatientMatching"/>).
    /// </summary>
    public async Task<(StoredResource Stored, bool Created)> ConditionalCreateAsync(Resource resource, SearchCriteria? criteria, CancellationToken ct) =>
        await CreateMatchAsync(resource, criteria, ct) is { } existing
            ? ((await ReadCurrentAsync(resource.TypeName, existing, ct))!, false)
            : (await CreateAsync(resource, ct), true);

    /// <summary>
    /// The first half of a create: the id of the resource to answer with instead (the one match of
    /// <paramref name="criteria"/>, or the known Patient of the same person), or null when a create
    /// is due; several matches are 412. Takes the locks it needs, held until this transaction ends.
    /// </summary>
    public async Task<string?> CreateMatchAsync(Resource resource, SearchCriteria? criteria, CancellationToken ct)
    {
        var match = criteria is null ? null : await SingleMatchAsync(criteria, "created", ct);
        return resource is Patient patient ? await PatientMatching.MatchAsync(this, patient, match, ct) : match;
    }

    /// <summary>
    /// Conditional update (FHIR R4 http.html#cond-update): no match creates (under the body's id
    /// if it has one and that id is free), one match is updated, several are 412.
    /// </summary>
    public async Task<(StoredResource Stored, bool Created)> ConditionalUpdateAsync(Resource resource, SearchCriteria criteria, int? ifMatchVersion, CancellationToken ct)
    {
        if (await ConditionalUpdateTargetAsync(resource, criteria, ct) is not { } id)
        {
            return (await CreateAsync(resource, ct), true);
        }

        resource.Id = id;
        return await UpdateAsync(resource, ifMatchVersion, ct);
    }

    /// <summary>
    /// The first half of a conditional update: the id it writes to (the one match, else the
    /// body's id if that is free), or null when it creates under a new id. Several matches are
    /// 412; a match other than the body's id is 400; no match but a taken body id is 409. Takes
    /// the criteria's lock, held until this transaction ends.
    /// </summary>
    public async Task<string?> ConditionalUpdateTargetAsync(Resource resource, SearchCriteria criteria, CancellationToken ct)
    {
        var type = criteria.ResourceType;
        var match = await SingleMatchAsync(criteria, "updated", ct);
        if (match is not null)
        {
            return resource.Id is null || resource.Id == match
                ? match
                : throw new InvalidResourceException([FhirException.Issue(OperationOutcome.IssueType.Invalid,
                    $"The criteria match {type}/{match}, but the body's id is {resource.Id}.", $"{type}.id")]);
        }

        if (resource.Id is not null && await ReadCurrentAsync(type, resource.Id, ct) is not null)
        {
            throw new FhirException(409, OperationOutcome.IssueType.Conflict,
                $"No {type} matches '{criteria.Query}', but {type}/{resource.Id} exists; refusing to overwrite it.");
        }

        return resource.Id;
    }

    /// <summary>
    /// Serializes conditional writes on the same criteria: a transaction-scoped advisory lock on a
    /// hash of <paramref name="key"/>, so two racing conditional creates cannot both miss.
    /// </summary>
    public async Task LockAsync(string key, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended($1, 0))", _connection, _transaction);
        command.Parameters.Add(new() { Value = key });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// A command inside this transaction, for the workflow's own queries. One that reads as a
    /// partner (<see cref="Access.PartnerVisibility"/>) takes <see cref="PartnerCommandAsync"/>:
    /// PartnerVisibility refuses to build that read here while this transaction's audience is unsettled.
    /// </summary>
    internal NpgsqlCommand Command() => new() { Connection = _connection, Transaction = _transaction };

    /// <summary>A command inside this transaction for a query as <see cref="Caller"/> sees the store: the audience of what it wrote is derived first.</summary>
    internal async Task<NpgsqlCommand> PartnerCommandAsync(CancellationToken ct)
    {
        await SettleForPartnerReadAsync(ct);
        return Command();
    }

    /// <summary>Whether a Provenance written in this transaction already targets <paramref name="versionReference"/> (<c>Task/1/_history/2</c>).</summary>
    internal bool HasProvenanceFor(string versionReference) =>
        _provenanceTargets.Has(_changes, versionReference);

    /// <summary>A search inside this transaction, as <see cref="Caller"/> sees the store.</summary>
    public async Task<SearchResult> SearchAsync(SearchRequest request, string baseUrl, CancellationToken ct)
    {
        await FlushDeferredVersionsAsync(ct);
        await SettleForPartnerReadAsync(ct);
        return await new SearchEngine(() => new NpgsqlCommand { Connection = _connection, Transaction = _transaction }).SearchAsync(request, baseUrl, Caller, ct);
    }

    /// <summary>Ids of the current, not deleted resources matching <paramref name="criteria"/>, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<string>> FindIdsAsync(SearchCriteria criteria, int limit, CancellationToken ct)
    {
        await FlushDeferredVersionsForAsync(criteria, ct);
        await using var query = new NpgsqlCommand();
        SearchSql.BuildIdQuery(query, criteria, limit, Caller);
        return await PlannedIdsAsync(query, null, IdLookupPlans.ModeFor(criteria), ct);
    }

    /// <summary>
    /// The ids a fixed lookup of <paramref name="resourceType"/> answers (<paramref name="query"/>,
    /// its first column), planned generic: only for a statement whose types and params are constants
    /// and whose one value names one resource, so no value can mislead its plan (IdLookupPlans). The
    /// type's pending versions are written first and, for a partner's read, the audience settled.
    /// </summary>
    internal async Task<List<string>> LookUpIdsAsync(string resourceType, NpgsqlCommand query, CancellationToken ct)
    {
        if (_deferred.Versions.Any(v => v.Type == resourceType))
        {
            await FlushDeferredVersionsAsync(ct);
        }

        return await PlannedIdsAsync(query, null, IdLookupPlans.Generic, ct);
    }

    /// <summary>
    /// Ids of the current resources matching <paramref name="criteria"/> that sort after
    /// <paramref name="afterId"/> (ordinal), at most <paramref name="limit"/>: a job walks a whole
    /// result in pages, each in its own transaction, passing the last id of the previous page.
    /// </summary>
    public async Task<IReadOnlyList<string>> FindIdPageAsync(SearchCriteria criteria, int limit, string? afterId, CancellationToken ct)
    {
        await FlushDeferredVersionsForAsync(criteria, ct);
        await using var query = new NpgsqlCommand();
        SearchSql.BuildIdPageQuery(query, criteria, limit, afterId, Caller);
        return await CustomPlannedIdsAsync(query, null, ct);
    }

    /// <summary>
    /// <see cref="LockAsync"/> on <paramref name="lockKey"/>, then <see cref="FindIdsAsync"/>, in one
    /// round trip: the search is a statement of its own after the lock, so (read committed) it sees
    /// what a transaction that held the lock before committed.
    /// </summary>
    public async Task<IReadOnlyList<string>> LockAndFindIdsAsync(string lockKey, SearchCriteria criteria, int limit, CancellationToken ct)
    {
        await using var query = new NpgsqlCommand();
        SearchSql.BuildIdQuery(query, criteria, limit, Caller);
        var lockCommand = new NpgsqlBatchCommand("select pg_advisory_xact_lock(hashtextextended($1, 0))");
        lockCommand.Parameters.Add(new() { Value = lockKey });
        return await PlannedIdsAsync(query, lockCommand, IdLookupPlans.ModeFor(criteria), ct);
    }

    // A search inside a write plans for its values. Writes run in PostgreSQL's auto mode, which
    // after five runs keeps a generic plan, and a search's generic plan drives from whichever
    // condition comes first: a status tens of thousands of resources share rather than the
    // referral a few share (a 100,000-row file fell from 150 rows a second to one after 47,500
    // rows; docs/performance.md). Switched for this one statement and back, in the same round trip
    // (after the lock, if any), as ReferenceRules switches its check to generic (PlanModeBatch).
    // A lookup by one identifier or id is the exception: no value can mislead its plan, and it
    // keeps its generic one from the first call (IdLookupPlans).
    private Task<List<string>> CustomPlannedIdsAsync(NpgsqlCommand query, NpgsqlBatchCommand? lockFirst, CancellationToken ct) =>
        PlannedIdsAsync(query, lockFirst, IdLookupPlans.Custom, ct);

    private Task<List<string>> PlannedIdsAsync(NpgsqlCommand query, NpgsqlBatchCommand? lockFirst, string planMode, CancellationToken ct) =>
        PlannedAsync(query, lockFirst, planMode, reader => reader.GetString(0), ct);

    /// <summary>
    /// <paramref name="query"/>'s rows, planned for its values (see <see cref="CustomPlannedIdsAsync"/>),
    /// in one round trip after <paramref name="lockFirst"/> if given (a statement answering one
    /// row): as a statement of its own, it sees what a transaction that held the lock before committed.
    /// </summary>
    internal Task<List<T>> CustomPlannedAsync<T>(NpgsqlCommand query, NpgsqlBatchCommand? lockFirst, Func<NpgsqlDataReader, T> read, CancellationToken ct) =>
        PlannedAsync(query, lockFirst, IdLookupPlans.Custom, read, ct);

    private async Task<List<T>> PlannedAsync<T>(NpgsqlCommand query, NpgsqlBatchCommand? lockFirst, string planMode, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        await SettleForPartnerReadAsync(ct);
        await using var batch = PlanModeBatch.For(query, planMode, _connection, _transaction, lockFirst);
        var rows = new List<T>();
        await using var reader = await batch.ExecuteReaderAsync(ct);
        if (lockFirst is not null)
        {
            await reader.NextResultAsync(ct); // past the lock's one row
        }

        await reader.NextResultAsync(ct); // past set_config's one row
        while (await reader.ReadAsync(ct))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private async Task<string?> SingleMatchAsync(SearchCriteria criteria, string verb, CancellationToken ct)
    {
        var matches = await LockAndFindIdsAsync(criteria.CanonicalKey, criteria, limit: 2, ct);
        return matches.Count switch
        {
            0 => null,
            1 => matches[0],
            _ => throw new PreconditionFailedException($"The criteria '{criteria.Query}' match more than one {criteria.ResourceType}; nothing was {verb}."),
        };
    }
}
