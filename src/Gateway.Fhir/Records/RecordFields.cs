namespace Gateway.Fhir.Records;

/// <summary>Where in a record of its format the linking facts are, so a link problem names the field or the column.</summary>
public sealed record RecordFields(string Referral, string NhsNumber, string FamilyName, string BirthDate)
{
    public static readonly RecordFields HousingCase = new("$.referral", "$.tenant.nhsNumber", "$.tenant.familyName", "$.tenant.dateOfBirth");

    public static RecordFields WorExportRow(int row) =>
        new($"row {row}, column verwijzing_id", $"row {row}", $"row {row}, column achternaam", $"row {row}, column geboortedatum");
}
