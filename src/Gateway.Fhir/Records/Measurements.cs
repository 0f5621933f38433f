using Gateway.Fhir.Search;
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
    public static async Task<StoredResource> StoreAsync(ResourceWriter writer, QuestionnaireResponse response, string requestId, CancellationToken ct)
    {
        var day = Day(response);
        // Two records reporting one measurement at once must not both find none.
        await writer.LockAsync($"measurement|{requestId}|{response.Questionnaire}|{day}", ct);
        // One this chunk stored for the referral is found only once its audience is written.
        await writer.SettleAudienceOfAsync($"ServiceRequest/{requestId}", ct);
        foreach (var id in await writer.FindIdsAsync(SearchQuery.Parse("QuestionnaireResponse", $"based-on=ServiceRequest/{requestId}"), 1000, ct))
        {
            if (await writer.ReadCurrentAsync("QuestionnaireResponse", id, ct) is { Resource: QuestionnaireResponse existing } stored
                && existing.Questionnaire == response.Questionnaire && Day(existing) == day)
            {
                if (existing.Status == response.Status && new QuestionnaireResponse { Item = existing.Item }.IsExactly(new QuestionnaireResponse { Item = response.Item })
                    && existing.Subject?.Reference == response.Subject?.Reference)
                {
                    return stored;
                }

                response.Id = id;
                return (await writer.UpdateAsync(response, null, ct)).Stored;
            }
        }

        return await writer.CreateAsync(response, ct);
    }

    private static string? Day(QuestionnaireResponse response) =>
        response.AuthoredElement?.Value is { Length: >= 10 } authored ? authored[..10] : response.AuthoredElement?.Value;
}
