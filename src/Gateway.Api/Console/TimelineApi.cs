using Gateway.Fhir.Timeline;

namespace Gateway.Api.Console;

/// <summary><c>GET /console/api/referrals/{taskId}/timeline</c>: a referral's timeline as JSON, for operators and their tools.</summary>
public static class TimelineApi
{
    public static async Task<IResult> Handle(string taskId, ReferralTimeline timeline, CancellationToken ct) =>
        await timeline.ReadAsync(taskId, ct) is { } view
            ? Results.Json(new
            {
                task = view.Task,
                serviceRequest = view.ServiceRequest,
                events = view.Events.Select(e => new { at = e.At, kind = e.Kind, summary = e.Summary, actor = e.Actor, detail = e.Detail }),
            })
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such referral",
                detail: $"No referral Task matches '{taskId}' (a Task id, referral number, ServiceRequest id or the GP's referral identifier).");
}
