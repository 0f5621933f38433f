using Gateway.Fhir.Access;
using Gateway.Fhir.Partners;
using Gateway.Fhir.Storage;
using Gateway.Fhir.Workflow;
using Gateway.Mapping;
using Gateway.Mapping.ReferralOut;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Records;

/// <summary>
/// The referrals addressed to a partner as referral/v1 (SPEC §6): the feed its client reads, and
/// what the delivery job posts to its webhook. The patient goes along only while an active Consent
/// names the partner; a welfare organisation gets the client number, never the BSN.
/// </summary>
public sealed class OutboundReferrals(ResourceStore store, OwnedTasks ownedTasks, PartnerConsents partnerConsents, PartnerDirectory partners, TimeProvider clock)
{
    public const int PageSize = 100;

    /// <summary>
    /// The partner's referrals changed after <paramref name="after"/>, oldest first, at most
    /// <see cref="PageSize"/>, each with the position the next page starts after.
    /// </summary>
    public async Task<IReadOnlyList<(ReferralV1 Referral, FeedPosition Position)>> FeedAsync(CallingPartner caller, FeedPosition after, CancellationToken ct)
    {
        var page = await ownedTasks.PageAsync(caller, after, PageSize, ct);
        var referrals = await MapAsync(page.Select(p => p.Task).ToList(), caller.PartnerId, ct);
        return referrals.Select((referral, i) => (referral, page[i].Position)).ToList();
    }

    /// <summary>One Task as referral/v1 for <paramref name="partnerId"/>, its owner.</summary>
    public async Task<ReferralV1> MapAsync(FhirTask task, string partnerId, CancellationToken ct) =>
        (await MapAsync([task], partnerId, ct))[0];

    /// <summary>
    /// Tasks owned by <paramref name="partnerId"/> as referral/v1, in order: their referrals,
    /// consents and patients read in one query each, whatever the number of Tasks.
    /// </summary>
    public async Task<IReadOnlyList<ReferralV1>> MapAsync(IReadOnlyList<FhirTask> tasks, string partnerId, CancellationToken ct)
    {
        var partner = partners.Find(partnerId) ?? throw new InvalidOperationException($"{partnerId} is not a partner.");
        var requests = await store.ReadManyAsync("ServiceRequest", tasks.Select(t => IdOf(t.Focus?.Reference, "ServiceRequest")).OfType<string>().ToList(), ct);
        var consents = await ActiveConsentsAsync(tasks.Select(t => IdOf(t.For?.Reference, "Patient")).OfType<string>().ToList(), partnerId, ct);
        var patients = await store.ReadManyAsync("Patient", [.. consents.Keys], ct);
        return tasks.Select(task =>
        {
            var patientId = IdOf(task.For?.Reference, "Patient");
            var consent = patientId is null ? null : consents.GetValueOrDefault(patientId);
            var patient = consent is null ? null : patients.GetValueOrDefault(patientId!)?.Resource as Patient;
            var request = IdOf(task.Focus?.Reference, "ServiceRequest") is { } requestId ? requests.GetValueOrDefault(requestId)?.Resource as ServiceRequest : null;
            var requester = partners.Find(ReferralTask.PartnerId(task.Requester?.Reference) ?? "");
            return ReferralV1Mapper.Map(new OutboundReferral(task, request, patient, consent,
                requester is null ? new ReferralParty(ReferralTask.PartnerId(task.Requester?.Reference) ?? "unknown") : Party(requester),
                new ReferralParty(partner.Id),
                partner.Kind == PartnerKinds.WelfareOrganisation,
                patient is null ? null : DataMinimisation.ClientNumber(patient.Id)));
        }).ToList();
    }

    private static ReferralParty Party(Partner partner) => new(partner.Id, partner.Name,
        partner.Identifiers?.FirstOrDefault(i => i.System == Canonicals.OdsOrganizationCode)?.Value,
        partner.Identifiers?.FirstOrDefault(i => i.System == Canonicals.AgbCode)?.Value);

    private static string? IdOf(string? reference, string type) =>
        reference?.Split('/') is [var t, var id] && t == type ? id : null;

    // As ConsentGate: active, naming the partner, within its period if it has one; per patient.
    private async Task<IReadOnlyDictionary<string, Consent>> ActiveConsentsAsync(IReadOnlyCollection<string> patientIds, string partnerId, CancellationToken ct)
    {
        var found = new Dictionary<string, Consent>(StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        foreach (var consent in await partnerConsents.ActiveAsync(patientIds, partnerId, ct))
        {
            if (consent.Provision?.Type != Consent.ConsentProvisionType.Deny
                && (consent.Provision?.Period is not { } period || (Starts(period) <= now && now < Ends(period)))
                && IdOf(consent.Patient?.Reference, "Patient") is { } patientId)
            {
                found.TryAdd(patientId, consent);
            }
        }

        return found;
    }

    private static DateTimeOffset Starts(Period period) => period.StartElement?.ToDateTimeOffset(TimeSpan.Zero) ?? DateTimeOffset.MinValue;

    private static DateTimeOffset Ends(Period period) => period.EndElement?.ToDateTimeOffset(TimeSpan.Zero) is { } end
        ? (period.End!.Length <= 10 ? end.AddDays(1) : end)
        : DateTimeOffset.MaxValue;
}
