using System.Collections.Concurrent;

namespace Gateway.Fhir.Search.Index;

/// <summary>
/// What a pure function gave for the strings it was asked about last, up to a few thousand, emptied
/// when full. Index extraction sees the same few values over and over in a chunk (its instants, the
/// references to the partner, the referral's Patient and ServiceRequest; issue 18), and parsing
/// each again was a measurable share of a wor-export send.
/// </summary>
internal sealed class RecentValues<T>(Func<string, T> compute)
{
    private const int Kept = 4096;
    private readonly ConcurrentDictionary<string, T> _values = new(StringComparer.Ordinal);
    private int _added;

    public T Get(string key)
    {
        if (_values.TryGetValue(key, out var known))
        {
            return known;
        }

        var value = compute(key);
        if (Interlocked.Increment(ref _added) > Kept)
        {
            _values.Clear();
            Interlocked.Exchange(ref _added, 0);
        }

        _values[key] = value;
        return value;
    }
}
