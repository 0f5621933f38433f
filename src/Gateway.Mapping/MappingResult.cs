namespace Gateway.Mapping;

/// <summary>
/// Either the changes a partner record implies, or every problem found in it (never both): a record
/// with one issue is rejected whole, and its issues say all that must be fixed before a replay.
/// </summary>
public sealed class MappingResult<T>
    where T : class
{
    internal MappingResult(T? value, IReadOnlyList<RecordIssue> issues)
    {
        Value = value;
        Issues = issues;
    }

    /// <summary>The intended changes; null when the record is rejected.</summary>
    public T? Value { get; }

    public IReadOnlyList<RecordIssue> Issues { get; }

    public bool IsAccepted => Value is not null;
}

public static class MappingResult
{
    public static MappingResult<T> Accepted<T>(T value)
        where T : class =>
        new(value, []);

    public static MappingResult<T> Rejected<T>(IReadOnlyList<RecordIssue> issues)
        where T : class =>
        issues.Count > 0
            ? new(null, issues)
            : throw new ArgumentException("A rejected record has at least one issue.", nameof(issues));

    /// <summary>Accepted when no issue was collected, otherwise rejected with all of them.</summary>
    public static MappingResult<T> From<T>(IReadOnlyList<RecordIssue> issues, Func<T> build)
        where T : class =>
        issues.Count == 0 ? Accepted(build()) : Rejected<T>(issues);
}
