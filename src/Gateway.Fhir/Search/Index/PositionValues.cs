using Hl7.Fhir.Model;

namespace Gateway.Fhir.Search.Index;

/// <summary>Position rows for <c>near</c>: a Location.position with both coordinates, in range.</summary>
internal static class PositionValues
{
    public static void Index(string param, Base value, IndexRowsBuilder rows)
    {
        if (value is Location.PositionComponent { Latitude: { } latitude, Longitude: { } longitude }
            && latitude is >= -90 and <= 90 && longitude is >= -180 and <= 180)
        {
            rows.Add(new PositionIndexRow(param, (double)latitude, (double)longitude));
        }
    }
}
