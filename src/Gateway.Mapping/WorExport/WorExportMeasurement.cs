using Gateway.Mapping.Measures;
using Hl7.Fhir.Model;

namespace Gateway.Mapping.WorExport;

/// <summary>pg_meetdatum and the six pg_* scores: all empty (not measured) or all present and valid.</summary>
internal static class WorExportMeasurement
{
    public static QuestionnaireResponse? Read(RowFields fields)
    {
        var columns = WorExportColumns.PositiveHealthScores.Select(s => s.Column).Prepend(WorExportColumns.PgMeetdatum);
        if (columns.All(c => fields.Optional(c) is null))
        {
            return null;
        }

        const string When = " when any positive-health column has a value (leave all seven empty when not measured)";
        var measuredOn = fields.Date(WorExportColumns.PgMeetdatum, required: true, When);
        var scores = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (column, linkId) in WorExportColumns.PositiveHealthScores)
        {
            if (fields.Score(column, When) is { } score)
            {
                scores[linkId] = score;
            }
        }

        return measuredOn is not null && scores.Count == PositiveHealth.LinkIds.Count
            ? PositiveHealth.Response(measuredOn.Value, scores)
            : null;
    }
}
