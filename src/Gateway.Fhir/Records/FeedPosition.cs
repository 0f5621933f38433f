using System.Globalization;

namespace Gateway.Fhir.Records;

/// <summary>
/// Where a page of the referral feed ends: the last Task shown, by (lastUpdated, resource key).
/// The next page starts strictly after it, so a page boundary neither repeats nor skips a Task
/// written in the same microsecond as another.
/// </summary>
public sealed record FeedPosition(DateTimeOffset LastUpdated, long ResourceKey)
{
    /// <summary>Every Task changed at or after <paramref name="since"/>.</summary>
    public static FeedPosition From(DateTimeOffset since) => new(since, 0);

    public string Encode() => string.Create(CultureInfo.InvariantCulture, $"{LastUpdated.UtcTicks}-{ResourceKey}");

    public static FeedPosition? TryDecode(string? text)
    {
        var parts = text?.Split('-');
        if (parts is not { Length: 2 }
            || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var ticks)
            || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var key)
            || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return null;
        }

        return new FeedPosition(new DateTimeOffset(ticks, TimeSpan.Zero), key);
    }
}
