using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Records;

/// <summary>
/// A measurement is one per referral, questionnaire and date (issue 17): a later record that
/// reports it again updates that QuestionnaireResponse (a new version when its answers changed,
/// none when they did not) instead of adding a second one with the same date and scores.
/// </summary>
internal static class Measurements
{
    /// <summary>
    /// Two records reporting one measurement at once must not both find none: a lock per referral,
    /// so a chunk can take those of all its referrals together (<see cref="ChunkMeasurements"/>).
    /// </summary>
    public static string LockKey(string requestId) => $"measurement|{requestId}";

    /// <param name="chunk">The measures the record's chunk locked and read for the referral, if it did.</param>
    public static async Task<StoredResource> StoreAsync(ResourceWriter writer, QuestionnaireResponse response, string requestId, CancellationToken ct,
        ChunkMeasurements? chunk = null)
    {
        var stored = chunk?.Of(requestId) is { } known
            ? await StoreAmongAsync(writer, response, requestId, known, ct)
            : await StoreSearchedAsync(writer, response, requestId, ct);
        chunk?.Stored(requestId, stored);
        return stored;
    }

    private static async Task<StoredResource> StoreSearchedAsync(ResourceWriter writer, QuestionnaireResponse response, string requestId, CancellationToken ct)
    {
        await writer.LockAsync(LockKey(requestId), ct);
        // One this chunk stored for the referral is found only once its audience is written.
        await writer.SettleAudienceOfAsync($"ServiceRequest/{requestId}", ct);
        foreach (var id in await ReferralLookups.MeasuresOfAsync(writer, requestId, ct))
        {
            if (await writer.ReadCurrentAsync("QuestionnaireResponse", id, ct) is { Resource: QuestionnaireResponse existing } stored && SameMeasurement(existing, response))
            {
                return await UpdateAsync(writer, response, stored, ct);
            }
        }

        return await writer.CreateAsync(response, ct);
    }

    private static async Task<StoredResource> StoreAmongAsync(ResourceWriter writer, QuestionnaireResponse response, string requestId, IReadOnlyList<StoredResource> known,
        CancellationToken ct)
    {
        foreach (var stored in known)
        {
            if (stored.Resource is QuestionnaireResponse existing && SameMeasurement(existing, response))
            {
                // It may be one of this chunk's, not written yet: written first, so the update finds it.
                await writer.SettleAudienceOfAsync($"ServiceRequest/{requestId}", ct);
                return await UpdateAsync(writer, response, stored, ct);
            }
        }

        return await writer.CreateAsync(response, ct);
    }

    private static bool SameMeasurement(QuestionnaireResponse existing, QuestionnaireResponse response) =>
        existing.Questionnaire == response.Questionnaire && Day(existing) == Day(response);

    // The measurement again: unchanged, or its next version.
    private static async Task<StoredResource> UpdateAsync(ResourceWriter writer, QuestionnaireResponse response, StoredResource stored, CancellationToken ct)
    {
        var existing = (QuestionnaireResponse)stored.Resource!;
        if (existing.Status == response.Status && new QuestionnaireResponse { Item = existing.Item }.IsExactly(new QuestionnaireResponse { Item = response.Item })
            && existing.Subject?.Reference == response.Subject?.Reference)
        {
            return stored;
        }

        response.Id = stored.Id;
        return (await writer.UpdateAsync(response, null, ct)).Stored;
    }

    private static string? Day(QuestionnaireResponse response) =>
        response.AuthoredElement?.Value is { Length: >= 10 } authored ? authored[..10] : response.AuthoredElement?.Value;
}
