using Gateway.Fhir.Errors;
using Gateway.Fhir.Partners;
using Gateway.Jobs.PartnerSync;
using Hangfire;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging;
using Npgsql;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Jobs.Coordination;

/// <summary>
/// Reads back the Tasks the gateway made at a partner's FHIR server (<c>GET Task?_id=…</c>) and
/// applies each one whose status, businessStatus, statusReason or output changed to the gateway's
/// Task, as the partner (<see cref="PartnerTaskApplier"/>). The QuestionnaireResponses its outputs
/// reference are fetched first, so a server that is down or answers garbage fails the run (Hangfire
/// retries it) before anything is written. A change the referral rules refuse is kept with its reason
/// on the link and logged, and not tried again until the partner's Task changes once more.
/// </summary>
public sealed class CoordinationSyncJob(
    PartnerDirectory partners, CoordinationLinks links, PartnerFhirClient client, PartnerTaskApplier applier,
    NpgsqlDataSource dataSource, TimeProvider clock, ILogger<CoordinationSyncJob> logger)
{
    private const int PageSize = 50;

    public static string RecurringId(string partnerId) => $"coordination:{partnerId}";

    [AutomaticRetry(Attempts = 5)]
    [JobDisplayName("Sync Tasks at the FHIR server of {0}")]
    public async System.Threading.Tasks.Task RunAsync(string partnerId, CancellationToken ct)
    {
        if (partners.Find(partnerId) is not { FhirEndpoint: not null } partner)
        {
            logger.LogWarning("Partner {Partner} has no fhirEndpoint any more; nothing synced.", partnerId);
            return;
        }

        await using var held = await PartnerLock.TryTakeAsync(dataSource, RecurringId(partnerId), ct);
        if (held is null)
        {
            logger.LogInformation("A sync of {Partner}'s FHIR server is already running elsewhere; this one stops.", partnerId);
            return;
        }

        var all = await links.OfPartnerAsync(partnerId, ct);
        foreach (var page in all.Chunk(PageSize))
        {
            var byTheirId = page.ToDictionary(l => l.TaskId!, StringComparer.Ordinal);
            var bundle = await client.ReadAsync<Bundle>(partner, $"Task?_id={string.Join(",", byTheirId.Keys.Select(Uri.EscapeDataString))}&_count={PageSize}", ct);
            foreach (var theirs in bundle.Entry.Select(e => e.Resource).OfType<FhirTask>())
            {
                if (theirs.Id is { } id && byTheirId.TryGetValue(id, out var link))
                {
                    await SyncAsync(partner, link, theirs, ct);
                }
            }
        }
    }

    private async System.Threading.Tasks.Task SyncAsync(Partner partner, CoordinationLink link, FhirTask theirs, CancellationToken ct)
    {
        var state = PartnerTaskState.Digest(theirs);
        if (state == link.SeenState)
        {
            return;
        }

        var responses = new Dictionary<string, QuestionnaireResponse>(StringComparer.Ordinal);
        foreach (var reference in theirs.Output.Select(o => (o.Value as ResourceReference)?.Reference).OfType<string>())
        {
            if (ResponseId(partner, reference) is { } responseId && !responses.ContainsKey(reference))
            {
                responses[reference] = await client.ReadAsync<QuestionnaireResponse>(partner, $"QuestionnaireResponse/{responseId}", ct);
            }
        }

        string? refused = null;
        try
        {
            var written = await applier.ApplyAsync(partner, link.GatewayTaskId, theirs, responses, ct);
            if (written.Count > 0)
            {
                logger.LogInformation("Task/{PartnerTask} of {Partner} ({Status}) applied to Task/{Task}: {Written}.", theirs.Id, partner.Id, theirs.Status, link.GatewayTaskId, string.Join(", ", written));
            }
        }
        catch (FhirException rules)
        {
            refused = $"Task/{theirs.Id} at the FHIR server of {partner.Id} ({theirs.Status}) cannot be applied to Task/{link.GatewayTaskId}: "
                + string.Join(" ", rules.Issues.Select(i => i.Diagnostics + (i.Expression.Any() ? $" ({string.Join(", ", i.Expression)})" : "")));
            logger.LogWarning("{Refused} It is not tried again until that Task changes.", refused);
        }

        await links.SeenAsync(link.GatewayTaskId, state, refused, clock.GetUtcNow(), ct);
    }

    // QuestionnaireResponse/{id}, relative or absolute at the partner's own base.
    private static string? ResponseId(Partner partner, string reference)
    {
        var local = reference.StartsWith(PartnerFhirClient.Url(partner, ""), StringComparison.Ordinal) ? reference[PartnerFhirClient.Url(partner, "").Length..] : reference;
        var parts = local.Split('/');
        return parts.Length is 2 or 4 && parts[0] == "QuestionnaireResponse" && (parts.Length == 2 || parts[2] == "_history") ? parts[1] : null;
    }
}
