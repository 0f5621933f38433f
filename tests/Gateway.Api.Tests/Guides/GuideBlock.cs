namespace Gateway.Api.Tests.Guides;

/// <summary>A fenced block of a guide: its info string (```bash → "bash"), its lines, and the guide line its first content line is on.</summary>
public sealed record GuideBlock(string Info, IReadOnlyList<string> Lines, int Line);
