using Gateway.Fhir.Access;
using Gateway.Fhir.Partners;
using Gateway.Fhir.Search;
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
public sealed class OutboundReferrals(ResourceStore store, SearchEngine search, PartnerDirectory partners, TimeProvider clock)
{
    public const int PageSize = 100;

    /// <summary>
    /// The partner's referrals changed at or after <paramref name="since"/>, oldest first, at most
    /// <see cref="PageSize"/>; the last one's sentAt is where the next page starts.
    /// </summary>
    public async Task<IReadOnlyList<ReferralV1>> FeedAsync(CallingPartner caller, DateTimeOffset since, string baseUrl, CancellationToken ct)
    {
        var query = SearchRequestParser.Parse("Task",
            [new("owner", caller.OrganizationReference), new("_lastUpdated", "ge" + since.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", System.Globalization.CultureInfo.InvariantCulture)),
             new("_sort", "_lastUpdated"), new("_count", PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            lenient: false, PageSize, PageSize);
        var page = await search.SearchAsync(query, baseUrl, caller, ct);
        var referrals = new List<ReferralV1>();
        foreach (var match in page.Matches)
        {
            referrals.Add(await MapAsync((FhirTask)match.Resource!, caller.PartnerId, ct));
        }

        return referrals;
    }

    /// <summary>One Task as referral/v1 for <paramref name="partnerId"/>, its owner.</summary>
    public async Task<ReferralV1> MapAsync(FhirTask task, string partnerId, CancellationToken ct)
    {
        var partner = partners.Find(partnerId) ?? throw new InvalidOperationException($"{partnerId} is not a partner.");
        var request = await ReadAsync<ServiceRequest>(task.Focus?.Reference, ct);
        var consent = await ActiveConsentAsync(task.For?.Reference, partnerId, ct);
        var patient = consent is null ? null : await ReadAsync<Patient>(task.For?.Reference, ct);
        var requester = partners.Find(ReferralTask.PartnerId(task.Requester?.Reference) ?? "");
        return ReferralV1Mapper.Map(new OutboundReferral(task, request, patient, consent,
            requester is null ? new ReferralParty(ReferralTask.PartnerId(task.Requester?.Reference) ?? "unknown") : Party(requester),
            new ReferralParty(partner.Id),
            partner.Kind == PartnerKinds.WelfareOrganisation,
            patient is null ? null : DataMinimisation.ClientNumber(patient.Id)));
    }

    private static ReferralParty Party(Partner partner) => new(partner.Id, partner.Name,
        partner.Identifiers?.FirstOrDefault(i => i.System == Canonicals.OdsOrganizationCode)?.Value,
        partner.Identifiers?.FirstOrDefault(i => i.System == Canonicals.AgbCode)?.Value);

    private async Task<T?> ReadAsync<T>(string? reference, CancellationToken ct) where T : Resource
    {
        if (reference?.Split('/') is not [var type, var id] || type != typeof(T).Name)
        {
            return null;
        }

        try
        {
            return (T?)(await store.ReadAsync(type, id, ct)).Resource;
        }
        catch (Errors.FhirException)
        {
            return null;
        }
    }

    // As ConsentGate: active, naming the partner, within its period if it has one.
    private async Task<Consent?> ActiveConsentAsync(string? patient, string partnerId, CancellationToken ct)
    {
        if (patient is null)
        {
            return null;
        }

        var query = SearchRequestParser.Parse("Consent", [new("patient", patient), new("actor", $"Organization/{partnerId}"), new("status", "active")], lenient: false, 20, 20);
        var now = clock.GetUtcNow();
        return (await search.SearchAsync(query, "", null, ct)).Matches.Select(m => (Consent)m.Resource!)
            .FirstOrDefault(c => c.Provision?.Type != Consent.ConsentProvisionType.Deny
                && (c.Provision?.Period is not { } period || (Starts(period) <= now && now < Ends(period))));
    }

    private static DateTimeOffset Starts(Period period) => period.StartElement?.ToDateTimeOffset(TimeSpan.Zero) ?? DateTimeOffset.MinValue;

    private static DateTimeOffset Ends(Period period) => period.EndElement?.ToDateTimeOffset(TimeSpan.Zero) is { } end
        ? (period.End!.Length <= 10 ? end.AddDays(1) : end)
        : DateTimeOffset.MaxValue;
}
