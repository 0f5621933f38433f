namespace Gateway.Mapping.WorExport;

/// <summary>The columns of wor-export/v1 (../shared/samples/wor-export/README.md), in the order the export writes them.</summary>
public static class WorExportColumns
{
    public const string VerwijzingId = "verwijzing_id";
    public const string VerwijzerAgb = "verwijzer_agb";
    public const string Achternaam = "achternaam";
    public const string Geboortedatum = "geboortedatum";
    public const string Postcode = "postcode";
    public const string Status = "status";
    public const string StatusDatum = "status_datum";
    public const string Welzijnscoach = "welzijnscoach";
    public const string Arrangement = "arrangement";
    public const string PgMeetdatum = "pg_meetdatum";
    public const string ToestemmingDelen = "toestemming_delen";
    public const string Terugkoppeling = "terugkoppeling";

    /// <summary>Optional: the id of the activity taken up in the organisation's own directory source (its welfare-activities/v1 <c>id</c>).</summary>
    public const string ActiviteitId = "activiteit_id";

    /// <summary>Optional: the gateway's HealthcareService id of the activity taken up.</summary>
    public const string HealthcareServiceId = "healthcareservice_id";

    /// <summary>A column a welfare organisation's export must never have: it may not process the BSN (SPEC §6).</summary>
    public const string Bsn = "bsn";

    /// <summary>The six positive-health score columns and the Questionnaire linkId each answers.</summary>
    public static IReadOnlyList<(string Column, string LinkId)> PositiveHealthScores { get; } =
    [
        ("pg_lichaamsfuncties", "bodily-functions"),
        ("pg_mentaal_welbevinden", "mental-wellbeing"),
        ("pg_zingeving", "meaningfulness"),
        ("pg_kwaliteit_van_leven", "quality-of-life"),
        ("pg_meedoen", "participation"),
        ("pg_dagelijks_functioneren", "daily-functioning"),
    ];

    /// <summary>Every required column: the header has each exactly once.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        VerwijzingId, VerwijzerAgb, Achternaam, Geboortedatum, Postcode, Status, StatusDatum, Welzijnscoach, Arrangement,
        PgMeetdatum, .. PositiveHealthScores.Select(s => s.Column), ToestemmingDelen, Terugkoppeling,
    ];

    /// <summary>
    /// Columns a file may leave out (SPEC §11: the activity taken up, added after the first exports).
    /// A row's content hash counts them only when filled, so rows of an older export keep their key.
    /// </summary>
    public static IReadOnlyList<string> Optional { get; } = [ActiviteitId, HealthcareServiceId];

    /// <summary>The required columns, then the optional ones: every column a file may have.</summary>
    public static IReadOnlyList<string> Known { get; } = [.. All, .. Optional];
}
