using System.Text.Json;
using Gateway.Fhir.Access;
using Gateway.Fhir.Partners;
using Gateway.Fhir.Serialization;
using Gateway.Fhir.Search.Sql;
using Gateway.Fhir.Workflow;
using Gateway.Mapping;
using Gateway.Mapping.ReferralOut;
using Hl7.Fhir.Model;
using Npgsql;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Records;

/// <summary>
/// The referrals addressed to a partner as referral/v1 (SPEC §6): the feed its client reads, and
/// what the delivery job posts to its webhook. The patient goes along only while an active Consent
/// names the partner; a welfare organisation gets the client number, never the BSN.
/// </summary>
public sealed class OutboundReferrals(NpgsqlDataSource dataSource, PartnerDirectory partners, TimeProvider clock)
{
    public const int PageSize = 100;

    /// <summary>
    /// The partner's referrals changed after <paramref name="after"/>, oldest first, at most
    /// <see cref="PageSize"/>, each with the position the next page starts after: one statement
    /// for the page and everything it maps.
    /// </summary>
    public async Task<IReadOnlyList<(ReferralV1 Referral, FeedPosition Position)>> FeedAsync(CallingPartner caller, FeedPosition after, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand();
        command.CommandText = ReferralSources.Select(command, OwnedTasks.Page(command, caller, after, PageSize), caller.PartnerId, clock.GetUtcNow());
        var page = new List<(ReferralV1, FeedPosition)>(PageSize);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var batch = GenericPlan(command, connection);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.NextResultAsync(ct); // past set_config's one row
        while (await reader.ReadAsync(ct))
        {
            var position = new FeedPosition(reader.GetFieldValue<DateTimeOffset>(OwnedTasks.LastUpdatedColumn), reader.GetInt64(OwnedTasks.KeyColumn));
            using var sources = ReferralSources.Row.Read(reader, OwnedTasks.BodyColumn);
            page.Add((Map(sources, caller.PartnerId), position));
        }

        return page;
    }

    /// <summary>One Task as referral/v1 for <paramref name="partnerId"/>, its owner.</summary>
    public Task<ReferralV1> MapAsync(FhirTask task, string partnerId, CancellationToken ct) =>
        MapAsync(FhirSerialization.ToJson(task), partnerId, ct);

    /// <summary>One Task, as stored FHIR JSON, as referral/v1 for <paramref name="partnerId"/>, its owner.</summary>
    public async Task<ReferralV1> MapAsync(string taskJson, string partnerId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand();
        command.CommandText = ReferralSources.Select(command, ReferralSources.OneTask(command, taskJson), partnerId, clock.GetUtcNow());
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var batch = GenericPlan(command, connection);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.NextResultAsync(ct); // past set_config's one row
        if (!await reader.ReadAsync(ct))
        {
            throw new InvalidOperationException("The referral's statement gave no row for its Task.");
        }

        using var sources = ReferralSources.Row.Read(reader, 1);
        return Map(sources, partnerId);
    }

    // Reads plan for their values (force_custom_plan on their connections); this statement has a fixed
    // shape and finds every row by key, whatever the partner or the position, and planning it afresh
    // cost a third of its PostgreSQL time (5 of 17 ms a page).
    private static NpgsqlBatch GenericPlan(NpgsqlCommand command, NpgsqlConnection connection) =>
        Storage.PlanModeBatch.For(command, "force_generic_plan", connection, null);

    private ReferralV1 Map(ReferralSources.Row sources, string partnerId)
    {
        var partner = partners.Find(partnerId) ?? throw new InvalidOperationException($"{partnerId} is not a partner.");
        JsonElement? task = sources.Task;
        var patientId = IdOf(Reference(task, "for"), "Patient");
        var consent = patientId is null ? null : ActiveConsent(sources.Consents, patientId);
        var patient = consent is null ? null : sources.Patient;
        var requesterId = ReferralTask.PartnerId(Reference(task, "requester"));
        var requester = partners.Find(requesterId ?? "");
        return ReferralV1Mapper.Map(new OutboundReferral(sources.Task, sources.Request, patient, consent,
            requester is null ? new ReferralParty(requesterId ?? "unknown") : Party(requester),
            new ReferralParty(partner.Id),
            partner.Kind == PartnerKinds.WelfareOrganisation,
            patient is null ? null : DataMinimisation.ClientNumber(patient.Value.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null)));
    }

    private static ReferralParty Party(Partner partner) => new(partner.Id, partner.Name,
        partner.Identifiers?.FirstOrDefault(i => i.System == Canonicals.OdsOrganizationCode)?.Value,
        partner.Identifiers?.FirstOrDefault(i => i.System == Canonicals.AgbCode)?.Value);

    private static string? Reference(JsonElement? resource, string member) =>
        resource is { ValueKind: JsonValueKind.Object } r && r.TryGetProperty(member, out var reference) && reference.ValueKind == JsonValueKind.Object
            && reference.TryGetProperty("reference", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? IdOf(string? reference, string type) =>
        reference?.Split('/') is [var t, var id] && t == type ? id : null;

    // As ConsentGate: active, naming the partner and in force now (the statement found them so: consent_windows_for),
    // permitting; the first by key of those about this patient.
    private static JsonElement? ActiveConsent(IEnumerable<JsonElement> consents, string patientId)
    {
        foreach (var consent in consents)
        {
            var provision = consent.TryGetProperty("provision", out var p) && p.ValueKind == JsonValueKind.Object ? p : (JsonElement?)null;
            if (Text(provision, "type") != "deny" && IdOf(Reference(consent, "patient"), "Patient") == patientId)
            {
                return consent;
            }
        }

        return null;
    }

    private static string? Text(JsonElement? element, string member) =>
        element is { } e && e.TryGetProperty(member, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
