using System.Globalization;
using Gateway.Api.Smart;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Records;
using Gateway.Mapping.ReferralOut;
using Hl7.Fhir.Model;

namespace Gateway.Api.Records;

/// <summary>
/// <c>GET /records/referrals?since=…</c>: the referrals addressed to the calling partner, as
/// referral/v1, changed at or after <c>since</c> (ISO 8601; default: all), oldest first, a page at a
/// time; <c>next</c> is the URL of the next page (a <c>cursor</c> just after the last entry, so no
/// entry repeats or is skipped at a page boundary), absent on the last. Poll by following
/// <c>next</c>, or by keeping the last page's cursor.
/// </summary>
public static class ReferralFeed
{
    public static async Task<IResult> Handle(HttpContext context, string? since, string? cursor, OutboundReferrals referrals, CancellationToken ct)
    {
        var page = await referrals.FeedAsync(context.RequiredCaller(), Position(since, cursor), ct);
        var next = page.Count == OutboundReferrals.PageSize
            ? "/records/referrals?cursor=" + Uri.EscapeDataString(page[^1].Position.Encode())
            : null;
        return TypedResults.Json(new ReferralPage([.. page.Select(p => p.Referral)], next), ReferralV1JsonContext.Default.ReferralPage);
    }

    private static FeedPosition Position(string? since, string? cursor)
    {
        if (cursor is not null)
        {
            return FeedPosition.TryDecode(cursor) ?? throw new FhirException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Value,
                $"cursor '{cursor}' is not one this server gave; follow the next link of a page as it is.");
        }

        var from = DateTimeOffset.MinValue;
        if (since is not null && !DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out from))
        {
            throw new FhirException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Value,
                $"since '{since}' is not an ISO 8601 date-time; send e.g. since=2026-10-01T00:00:00Z (or the sentAt of the last referral you read).");
        }

        return FeedPosition.From(from);
    }
}
