using System.Globalization;

namespace Gateway.Fhir.Storage;

/// <summary>
/// A keyset position in a history listing (newest first): the last row shown. The next page
/// starts strictly after it, so versions written meanwhile neither shift nor repeat rows.
/// </summary>
public sealed record HistoryCursor(DateTimeOffset LastUpdated, long ResourceKey, int Version)
{
    public string Encode() => string.Create(CultureInfo.InvariantCulture, $"{LastUpdated.UtcTicks}-{ResourceKey}-{Version}");

    public static HistoryCursor? TryDecode(string? text)
    {
        var parts = text?.Split('-');
        if (parts is not { Length: 3 }
            || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var ticks)
            || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var key)
            || !int.TryParse(parts[2], CultureInfo.InvariantCulture, out var version)
            || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return null;
        }

        return new HistoryCursor(new DateTimeOffset(ticks, TimeSpan.Zero), key, version);
    }
}
