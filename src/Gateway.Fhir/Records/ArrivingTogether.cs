namespace Gateway.Fhir.Records;

/// <summary>
/// Group commit for single records (issue 18), as <see cref="Audit.AuditWriter"/> does for
/// AuditEvents: whatever is queued when the applier is free is applied as one group (up to
/// <paramref name="maxGroup"/>), and each caller waits for its own item's result. There is no wait
/// to fill a group: a lone item is applied at once, and under load the next group fills while the
/// previous one is applied. One applier at a time, so groups go in the order their items came.
/// An item whose caller gave up before its group was taken is dropped (nothing of it done); one
/// already taken is applied and its result goes unread. A group that throws is applied again an
/// item at a time (<paramref name="alone"/>), so one item's failure fails only its own caller;
/// <paramref name="together"/> gives each item's own outcome (a completed task, faulted where that
/// item alone failed), so a group where only some failed answers the rest with what was done.
/// </summary>
internal sealed class ArrivingTogether<TItem, TResult>(Func<List<TItem>, Task<List<Task<TResult>>>> together, Func<TItem, Task<TResult>> alone, int maxGroup)
{
    private sealed record Entry(TItem Item, TaskCompletionSource<TResult> Result, CancellationToken Ct);

    private readonly Lock _gate = new();
    private readonly Queue<Entry> _queued = new();
    private bool _applying;

    /// <summary>Items queued and not yet taken into a group.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _queued.Count;
            }
        }
    }

    public Task<TResult> ApplyAsync(TItem item, CancellationToken ct)
    {
        var entry = new Entry(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously), ct);
        bool start;
        lock (_gate)
        {
            _queued.Enqueue(entry);
            start = !_applying;
            _applying = true;
        }

        if (start)
        {
            // The applier serves every caller of its groups, so it does not carry the first one's request context (its trace, its log scope).
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(ApplyQueuedAsync, CancellationToken.None);
            }
        }

        return entry.Result.Task.WaitAsync(ct);
    }

    private async Task ApplyQueuedAsync()
    {
        while (true)
        {
            List<Entry> group;
            lock (_gate)
            {
                group = [];
                while (group.Count < maxGroup && _queued.TryDequeue(out var next))
                {
                    if (next.Ct.IsCancellationRequested)
                    {
                        next.Result.TrySetCanceled(next.Ct);
                    }
                    else
                    {
                        group.Add(next);
                    }
                }

                if (group.Count == 0)
                {
                    _applying = false;
                    return;
                }
            }

            await ApplyGroupAsync(group);
        }
    }

    private async Task ApplyGroupAsync(List<Entry> group)
    {
        try
        {
            var outcomes = await together(group.ConvertAll(w => w.Item));
            for (var i = 0; i < group.Count; i++)
            {
                Settle(group[i].Result, outcomes[i]);
            }

            return;
        }
        catch (Exception failed) when (group.Count == 1)
        {
            group[0].Result.TrySetException(failed);
            return;
        }
        catch (Exception)
        {
            // Which item failed is not known: each again alone, so the others still get their answers.
        }

        foreach (var waiting in group)
        {
            try
            {
                waiting.Result.TrySetResult(await alone(waiting.Item));
            }
            catch (Exception failed)
            {
                waiting.Result.TrySetException(failed);
            }
        }
    }

    private static void Settle(TaskCompletionSource<TResult> result, Task<TResult> outcome)
    {
        if (outcome.IsCompletedSuccessfully)
        {
            result.TrySetResult(outcome.Result);
        }
        else
        {
            result.TrySetException(outcome.Exception?.InnerExceptions ?? [new InvalidOperationException("An item's outcome was not complete when its group was.")]);
        }
    }
}
