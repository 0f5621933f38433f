using System.Text.RegularExpressions;
using Gateway.Mapping.Json;
using Hl7.Fhir.Model;

namespace Gateway.Mapping.HousingReferral;

/// <summary>housing-referral/v1 <c>registeredGp</c>: the practice by ODS code (England) or AGB code (Netherlands).</summary>
internal static partial class RegisteredGp
{
    /// <summary>A logical reference to the practice, or null when the record names none (or names it badly, with an issue).</summary>
    public static ResourceReference? Read(JsonObjectReader record)
    {
        if (record.Object("registeredGp", required: false) is not { } gp)
        {
            return null;
        }

        var ods = gp.String("odsCode", required: false);
        var agb = gp.String("agbCode", required: false);
        gp.RejectUnknownFields();
        if ((ods is null) == (agb is null))
        {
            gp.Issues.Add(new(RecordIssueCode.InvalidValue, gp.Path, "Name the GP practice by exactly one of odsCode and agbCode."));
            return null;
        }

        if (ods is not null && !OdsCode().IsMatch(ods))
        {
            gp.Issues.Add(new(RecordIssueCode.InvalidFormat, gp.PathOf("odsCode"), $"'{ods}' is not an ODS code; expected 3 to 8 letters and digits, e.g. M85001."));
            return null;
        }

        if (agb is not null && !AgbCode().IsMatch(agb))
        {
            gp.Issues.Add(new(RecordIssueCode.InvalidFormat, gp.PathOf("agbCode"), $"'{agb}' is not an AGB code; expected 8 digits."));
            return null;
        }

        var identifier = ods is not null ? new Identifier(Canonicals.OdsOrganizationCode, ods) : new Identifier(Canonicals.AgbCode, agb);
        return new ResourceReference { Type = "Organization", Identifier = identifier };
    }

    [GeneratedRegex("^[A-Z0-9]{3,8}$")]
    private static partial Regex OdsCode();

    [GeneratedRegex("^[0-9]{8}$")]
    internal static partial Regex AgbCode();
}
