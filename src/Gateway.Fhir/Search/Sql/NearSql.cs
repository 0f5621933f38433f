using System.Globalization;
using Gateway.Fhir.Errors;
using Hl7.Fhir.Model;
using Npgsql;

namespace Gateway.Fhir.Search.Sql;

/// <summary>
/// <c>near=latitude|longitude|distance|unit</c> (FHIR R4 location.html#positional): positions within
/// the distance, on the great circle (haversine, mean earth radius). R4 leaves the distance to the
/// server when it is missing; this one takes <see cref="DefaultKilometres"/>, as HAPI FHIR does.
/// </summary>
internal static class NearSql
{
    public const double DefaultKilometres = 50;
    private const double EarthRadiusKilometres = 6371.0088;
    private const double KilometresPerDegreeOfLatitude = 111.2;

    public static string Match(NpgsqlCommand command, string value, string alias)
    {
        var (latitude, longitude, kilometres) = Parse(value);
        // The latitude band first (an index range), then the exact distance.
        var band = kilometres / KilometresPerDegreeOfLatitude;
        return $"""
            {alias}.latitude between {command.Bind(latitude - band)} and {command.Bind(latitude + band)}
            and 2 * {EarthRadiusKilometres.ToString(CultureInfo.InvariantCulture)} * asin(sqrt(
                power(sin(radians({alias}.latitude - {command.Bind(latitude)}) / 2), 2)
                + cos(radians({command.Bind(latitude)})) * cos(radians({alias}.latitude)) * power(sin(radians({alias}.longitude - {command.Bind(longitude)}) / 2), 2)))
              <= {command.Bind(kilometres)}
            """;
    }

    public static (double Latitude, double Longitude, double Kilometres) Parse(string value)
    {
        var parts = value.Split('|');
        if (parts.Length is < 2 or > 4
            || !TryNumber(parts[0], out var latitude) || latitude is < -90 or > 90
            || !TryNumber(parts[1], out var longitude) || longitude is < -180 or > 180)
        {
            throw Invalid($"near '{value}' is not latitude|longitude|distance|unit with a latitude from -90 to 90 and a longitude from -180 to 180 (e.g. near=52.586|-1.982|5|km).");
        }

        var distance = DefaultKilometres;
        if (parts.Length >= 3 && parts[2].Length > 0 && (!TryNumber(parts[2], out distance) || distance < 0))
        {
            throw Invalid($"The distance of near '{value}' is not a number of zero or more.");
        }

        var unit = parts.Length == 4 && parts[3].Length > 0 ? parts[3] : "km";
        var kilometres = unit switch
        {
            "km" => distance,
            "m" => distance / 1000,
            "[mi_i]" or "mi" => distance * 1.609344,
            _ => throw Invalid($"The unit '{unit}' of near '{value}' is not one of km, m, [mi_i] (UCUM)."),
        };
        return (latitude, longitude, kilometres);
    }

    private static bool TryNumber(string text, out double number) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);

    private static FhirException Invalid(string diagnostics) => new(400, OperationOutcome.IssueType.Invalid, diagnostics, "near");
}
