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
/// time; <c>next</c> is the URL of the next page, absent on the last. Read at least once: an entry
/// whose sentAt equals the page boundary may come again on the next page, so drop duplicates by
/// gatewayTaskId and sentAt.
/// </summary>
public static class ReferralFeed
{
    public static async Task<IResult> Handle(HttpContext context, string? since, OutboundReferrals referrals, CancellationToken ct)
    {
        var from = DateTimeOffset.MinValue;
        if (since is not null && !DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out from))
        {
            throw new FhirException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Value,
                $"since '{since}' is not an ISO 8601 date-time; send e.g. since=2026-10-01T00:00:00Z (or the sentAt of the last referral you read).");
        }

        var baseUrl = $"{context.Request.Scheme}://{context.Request.Host}/fhir";
        var page = await referrals.FeedAsync(context.RequiredCaller(), from, baseUrl, ct);
        var next = page.Count == OutboundReferrals.PageSize
            ? "/records/referrals?since=" + Uri.EscapeDataString(page[^1].SentAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture))
            : null;
        return Results.Json(new { referrals = page, next }, ReferralV1Json.Options);
    }
}
