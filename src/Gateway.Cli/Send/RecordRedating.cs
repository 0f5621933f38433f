using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Mapping.HousingCase;
using Gateway.Mapping.HousingReferral;

namespace Gateway.Cli.Send;

/// <summary>
/// <c>send --at</c>: a JSON record sent as if its change happened at another instant, e.g. a
/// recorded case history replayed today (the gateway refuses a record dated after its receipt).
/// The record's own change time is set (housing-case/v1 <c>statusChangedAt</c>, housing-referral/v1
/// <c>raisedAt</c>) and its <c>messageId</c> made new, derived from the original and the instant, so
/// it is not taken for a resend of the original while the same <c>--at</c> sent twice stays one record.
/// Nothing else moves: birth dates, activities and measures keep their dates.
/// </summary>
public static class RecordRedating
{
    public static InputFile At(InputFile input, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Kind is not (FileKind.Record or FileKind.RecordArray))
        {
            throw new CliException($"--at re-dates JSON partner records (housing-case/v1 statusChangedAt, housing-referral/v1 raisedAt); {input.Path} is not one. Leave --at out.");
        }

        var node = JsonNode.Parse(input.Text)!;
        foreach (var record in node is JsonArray array ? array.OfType<JsonObject>() : [node.AsObject()])
        {
            Redate(record, at);
        }

        return input with { Bytes = Encoding.UTF8.GetBytes(node.ToJsonString()) };
    }

    private static void Redate(JsonObject record, DateTimeOffset at)
    {
        var field = (string?)record["format"] switch
        {
            HousingCaseMapper.Format => "statusChangedAt",
            HousingReferralMapper.Format => "raisedAt",
            var other => throw new CliException($"--at does not know which time of a {other} record to set."),
        };
        var instant = at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        record[field] = instant;
        var original = (string?)record["messageId"] ?? "";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{original}|{instant}"));
        record["messageId"] = new Guid(hash.AsSpan(0, 16)).ToString();
    }
}
