using Gateway.Mapping.Json;

namespace Gateway.Mapping.HousingCase;

/// <summary>The <c>tenant</c> object of housing-case/v1 and housing-referral/v1 (which adds <c>phone</c>).</summary>
internal sealed record HousingTenant(
    string? TenancyRef,
    string NhsNumber,
    string? GivenName,
    string? FamilyName,
    DateOnly BirthDate,
    string? Postcode,
    string? Phone)
{
    public PatientConfirmation Confirmation => new(NhsNumber, FamilyName, BirthDate, Postcode);

    public static HousingTenant? Read(JsonObjectReader record, DateTimeOffset receivedAt, bool isReferral)
    {
        if (record.Object("tenant", required: true) is not { } tenant)
        {
            return null;
        }

        var tenancyRef = tenant.String("tenancyRef", required: false);
        var nhsText = tenant.String("nhsNumber", required: true);
        var nhsNumber = nhsText is null ? null : RecordValues.NhsNumber(nhsText, tenant.PathOf("nhsNumber"), tenant.Issues);
        var givenName = tenant.String("givenName", required: false);
        // A referral creates the Patient, whose profile requires a name; a case update only confirms one.
        var familyName = tenant.String("familyName", required: isReferral);
        var birthText = tenant.String("dateOfBirth", required: true);
        var birthDate = birthText is null ? null : RecordValues.Date(birthText, "yyyy-MM-dd", tenant.PathOf("dateOfBirth"), receivedAt, tenant.Issues);
        var postcode = tenant.String("postcode", required: false);
        var phone = isReferral ? tenant.String("phone", required: false) : null;
        tenant.RejectUnknownFields();

        return nhsNumber is null || birthDate is null
            ? null
            : new HousingTenant(tenancyRef, nhsNumber, givenName, familyName, birthDate.Value, postcode, phone);
    }
}
