using Gateway.Fhir.Validation.Profiles;
using Gateway.Fhir.Search;
using Gateway.Fhir.Access;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Serialization;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Bundles;

/// <summary>
/// transaction and batch (FHIR R4 http.html#transaction). A transaction is all or nothing in one
/// database transaction; a batch runs each entry on its own and reports each outcome. A Bundle
/// with an identifier is answered once per client and content (SPEC §3, <see cref="BundleResponses"/>).
/// </summary>
public sealed class TransactionProcessor(ResourceStore store, ProfileValidator validator, BundleResponses responses, TimeProvider clock)
{
    // FHIR R4 http.html#trules: DELETE, then POST, then PUT (and PATCH), then GET.
    private static readonly Bundle.HTTPVerb[] ProcessingOrder =
        [Bundle.HTTPVerb.DELETE, Bundle.HTTPVerb.POST, Bundle.HTTPVerb.PUT, Bundle.HTTPVerb.PATCH, Bundle.HTTPVerb.GET, Bundle.HTTPVerb.HEAD];

    /// <summary>Processes the bundle on behalf of <paramref name="caller"/>: it sees, matches and writes only what it may.</summary>
    public async Task<BundleAnswer> ProcessAsync(Bundle bundle, ReturnPreference preference, CallingPartner? caller, SearchSettings search, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        if (bundle.Type is not (Bundle.BundleType.Transaction or Bundle.BundleType.Batch))
        {
            throw new InvalidResourceException([FhirException.Issue(OperationOutcome.IssueType.Invalid,
                $"POST /fhir takes a Bundle of type transaction or batch, not {bundle.Type?.ToString() ?? "one without a type"}.", "Bundle.type")]);
        }

        if (BundleKey.Of(bundle, caller) is not { } key)
        {
            return bundle.Type == Bundle.BundleType.Transaction
                ? await TransactionAsync(bundle, preference, caller, search, null, ct)
                : new BundleAnswer(await BatchAsync(bundle, preference, caller, search, ct), null);
        }

        await using var held = await responses.LockAsync(key, ct);
        if (held.Previous is { } previous)
        {
            return new BundleAnswer(previous, null);
        }

        if (bundle.Type == Bundle.BundleType.Transaction)
        {
            return await TransactionAsync(bundle, preference, caller, search, key, ct);
        }

        var answer = await BatchAsync(bundle, preference, caller, search, ct);
        var json = FhirSerialization.ToJson(answer);
        await held.SaveAsync(json, clock.GetUtcNow(), ct);
        return new BundleAnswer(answer, json);
    }

    /// <param name="key">Set when the Bundle has an identifier: its answer is kept in the same database transaction.</param>
    private async Task<BundleAnswer> TransactionAsync(Bundle bundle, ReturnPreference preference, CallingPartner? caller, SearchSettings search, BundleKey? key, CancellationToken ct)
    {
        var requests = bundle.Entry.Select((entry, i) => Named(bundle, i, () => BundleEntryRequest.Parse(entry, i))).ToList();
        return await store.WriteAsync(async writer =>
        {
            var acts = await DecideAllAsync(writer, bundle, requests, ct);
            var targets = FullUrlTargets(bundle, requests, acts);
            foreach (var request in requests.Where(r => r.Resource is not null))
            {
                await NamedAsync(bundle, request.Index, async () =>
                {
                    UrnUuidReferences.Rewrite(request.Resource!, targets);
                    await ConditionalReferences.ResolveAsync(writer, request.Resource!, ct);
                    // Profiles are checked once the references are final, as a single create or update checks them.
                    validator.EnsureValid(request.Resource!);
                    return true;
                });
            }

            var results = new EntryResult[requests.Count];
            foreach (var request in requests.OrderBy(r => Array.IndexOf(ProcessingOrder, r.Method)).ThenBy(r => r.Index))
            {
                results[request.Index] = await NamedAsync(bundle, request.Index, () => EntryActs.ExecuteAsync(writer, request, acts[request.Index], search, ct));
            }

            var response = Response(Bundle.BundleType.TransactionResponse, results.Select(r => EntryResponse.Success(r, preference)));
            if (key is null)
            {
                return new BundleAnswer(response, null);
            }

            var json = FhirSerialization.ToJson(response);
            await using var keep = writer.Command();
            await BundleResponses.SaveAsync(keep, key, json, writer.Now, ct);
            return new BundleAnswer(response, json);
        }, ct, caller);
    }

    private async Task<Bundle> BatchAsync(Bundle bundle, ReturnPreference preference, CallingPartner? caller, SearchSettings search, CancellationToken ct)
    {
        var entries = new List<Bundle.EntryComponent>();
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var index = i;
            try
            {
                var result = await NamedAsync(bundle, index, () => BatchEntryAsync(bundle.Entry[index], index, caller, search, ct));
                entries.Add(EntryResponse.Success(result, preference));
            }
            // FHIR R4 http.html#transaction: in a batch one entry failing does not stop the others.
            catch (FhirException failure)
            {
                entries.Add(EntryResponse.Failure(failure));
            }
        }

        return Response(Bundle.BundleType.BatchResponse, entries);
    }

    private Task<EntryResult> BatchEntryAsync(Bundle.EntryComponent entry, int index, CallingPartner? caller, SearchSettings search, CancellationToken ct)
    {
        var request = BundleEntryRequest.Parse(entry, index);
        if (request.Resource is not null)
        {
            UrnUuidReferences.RefuseInBatch(request.Resource);
        }

        return store.WriteAsync(async writer =>
        {
            if (request.Resource is not null)
            {
                await ConditionalReferences.ResolveAsync(writer, request.Resource, ct);
                validator.EnsureValid(request.Resource);
            }

            return await EntryActs.ExecuteAsync(writer, request, await EntryActs.DecideAsync(writer, request, ct), search, ct);
        }, ct, caller);
    }

    /// <summary>
    /// Decides every entry's act before anything is written. Identical conditional creates share
    /// one resource; otherwise two entries acting on the same resource fail the transaction, as
    /// FHIR R4 http.html#trules requires of overlapping identities.
    /// </summary>
    private static async Task<EntryAct[]> DecideAllAsync(ResourceWriter writer, Bundle bundle, List<BundleEntryRequest> requests, CancellationToken ct)
    {
        var acts = new EntryAct[requests.Count];
        var conditionalCreates = new Dictionary<string, int>(StringComparer.Ordinal);
        var claimed = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            if (request.IfNoneExist is { } criteria && conditionalCreates.TryGetValue(criteria.CanonicalKey, out var first))
            {
                acts[request.Index] = acts[first] with { Kind = EntryActKind.Existing };
                continue;
            }

            var act = acts[request.Index] = await NamedAsync(bundle, request.Index, () => EntryActs.DecideAsync(writer, request, ct));
            if (request.IfNoneExist is not null)
            {
                conditionalCreates[request.IfNoneExist.CanonicalKey] = request.Index;
            }

            if (act.ClaimsIdentity && !claimed.TryAdd(act.Reference, request.Index))
            {
                var other = claimed[act.Reference];
                throw Named(bundle, request.Index, new FhirException(400, OperationOutcome.IssueType.Invalid,
                    $"{EntryFailure.Label(bundle.Entry[other], other)} also acts on {act.Reference}; a transaction may act on each resource once.", "request"));
            }
        }

        return acts;
    }

    /// <summary>The Type/id each urn:uuid or urn:oid fullUrl of a POST or PUT resolved to; a fullUrl given twice is 400 (bdl-7).</summary>
    private static Dictionary<string, string> FullUrlTargets(Bundle bundle, List<BundleEntryRequest> requests, EntryAct[] acts)
    {
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var request in requests.Where(r => r.Resource is not null && UrnUuidReferences.IsUrn(r.FullUrl)))
        {
            if (!targets.TryAdd(request.FullUrl!, acts[request.Index].Reference))
            {
                throw Named(bundle, request.Index, new FhirException(400, OperationOutcome.IssueType.Invalid,
                    $"The fullUrl {request.FullUrl} is already the fullUrl of an earlier entry.", "fullUrl"));
            }
        }

        return targets;
    }

    private static Bundle Response(Bundle.BundleType type, IEnumerable<Bundle.EntryComponent> entries) =>
        new() { Type = type, Entry = entries.ToList() };

    private static T Named<T>(Bundle bundle, int index, Func<T> work)
    {
        try
        {
            return work();
        }
        catch (FhirException failure)
        {
            throw Named(bundle, index, failure);
        }
    }

    private static async Task<T> NamedAsync<T>(Bundle bundle, int index, Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (FhirException failure)
        {
            throw Named(bundle, index, failure);
        }
    }

    private static async Task NamedAsync(Bundle bundle, int index, Func<Task> work)
    {
        try
        {
            await work();
        }
        catch (FhirException failure)
        {
            throw Named(bundle, index, failure);
        }
    }

    private static FhirException Named(Bundle bundle, int index, FhirException failure) => EntryFailure.Name(failure, bundle.Entry[index], index);
}
