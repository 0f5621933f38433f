using System.Globalization;
using System.Xml;
using Gateway.Fhir.Partners;

namespace Gateway.Jobs.Sla;

/// <summary>The partners' SLA durations (ISO 8601, SPEC §9) and instants as search values.</summary>
internal static class SlaClock
{
    /// <summary>The duration, or null when the partner has none configured.</summary>
    public static TimeSpan? Duration(string? iso8601) => string.IsNullOrWhiteSpace(iso8601) ? null : XmlConvert.ToTimeSpan(iso8601);

    /// <summary>Owners with the given SLA setting, and that setting.</summary>
    public static IEnumerable<(Partner Owner, TimeSpan Within)> Owners(PartnerDirectory partners, Func<SlaSettings, string?> setting) =>
        partners.Partners
            .Where(p => p.Sla is not null && Duration(setting(p.Sla)) is not null)
            .Select(p => (p, Duration(setting(p.Sla!))!.Value));

    /// <summary>An instant as a search value, in UTC ('+' would not survive a query string).</summary>
    public static string SearchValue(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
