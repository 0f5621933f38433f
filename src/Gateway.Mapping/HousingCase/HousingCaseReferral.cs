using Gateway.Mapping.Json;
using Hl7.Fhir.Model;

namespace Gateway.Mapping.HousingCase;

/// <summary>housing-case/v1 <c>referral</c>: exactly one of serviceRequestIdentifier and gatewayTaskId.</summary>
internal static class HousingCaseReferral
{
    public static (string? TaskId, Identifier? Identifier, bool Valid) Read(JsonObjectReader record)
    {
        if (record.Object("referral", required: true) is not { } referral)
        {
            return (null, null, false);
        }

        var taskId = referral.String("gatewayTaskId", required: false);
        Identifier? identifier = null;
        var identifierValid = true;
        if (referral.Object("serviceRequestIdentifier", required: false) is { } reader)
        {
            var system = reader.String("system", required: true);
            var value = reader.String("value", required: true);
            reader.RejectUnknownFields();
            identifierValid = system is not null && value is not null;
            identifier = identifierValid ? new Identifier(system, value) : null;
        }

        referral.RejectUnknownFields();
        var given = (taskId is null ? 0 : 1) + (identifier is null && identifierValid ? 0 : 1);
        if (given != 1)
        {
            referral.Issues.Add(new(
                given == 0 ? RecordIssueCode.Required : RecordIssueCode.InvalidValue,
                referral.Path,
                "Name the referral by exactly one of serviceRequestIdentifier (the GP's identifier) and gatewayTaskId."));
            return (null, null, false);
        }

        return (taskId, identifier, identifierValid);
    }
}
