using Gateway.Fhir.Partners;
using Gateway.Fhir.Storage;
using Gateway.Fhir.Workflow;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace Gateway.Jobs.ServiceDirectory;

/// <summary>
/// Offers the referrals held with business status <c>no-capacity</c> again (SPEC §11): each goes to
/// a service that takes referrals now, or stays held. Reentrant: a released Task is no longer held.
/// </summary>
public sealed class CapacityReleaseJob(ResourceStore store, PartnerDirectory partners, ILogger<CapacityReleaseJob> logger)
{
    public const string Id = "capacity-release";

    private const int Batch = 500;

    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [JobDisplayName("Offer referrals held for capacity again")]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var held = await store.WriteAsync(gateway => CapacityRelease.HeldAsync(gateway, Batch, ct), ct);
        var released = 0;
        foreach (var taskId in held)
        {
            if (await store.WriteAsync(gateway => CapacityRelease.OfferAgainAsync(gateway, taskId, partners, ct), ct))
            {
                released++;
            }
        }

        if (held.Count > 0)
        {
            logger.LogInformation("Offered {Held} referrals held for capacity again; {Released} went to a provider.", held.Count, released);
        }

        return released;
    }
}
