namespace Gateway.Api.Tests.Guides;

/// <summary>
/// One executable example of a guide: a ```http request block, the ```http-response block after it
/// (expected status, headers and body fragments), and the values to capture from the answer for
/// later examples. <see cref="Line"/> is where the request block starts in the guide, for failure messages.
/// </summary>
public sealed record GuideExample(
    string File,
    int Line,
    string Method,
    string Target,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? Body,
    int ExpectedStatus,
    IReadOnlyList<KeyValuePair<string, string>> ExpectedHeaders,
    IReadOnlyList<string> ExpectedFragments,
    IReadOnlyList<KeyValuePair<string, string>> Captures)
{
    public string Where => $"{File}:{Line}";
}

/// <summary>A fenced block of a guide: its info string (```http → "http"), its lines, and the guide line its first content line is on.</summary>
public sealed record GuideBlock(string Info, IReadOnlyList<string> Lines, int Line);
