using Gateway.Fhir.Access;
using Gateway.Fhir.Search.Sql;
using Npgsql;

namespace Gateway.Fhir.Records;

/// <summary>
/// The Tasks a partner owns, oldest change first, a page after a <see cref="FeedPosition"/>: the
/// referral feed's page, a range of <c>task_feed</c>'s index (migration 0050), so a page reads its
/// own rows and nothing else, however many Tasks the store holds.
/// </summary>
internal static class OwnedTasks
{
    public const int BodyColumn = 1;
    public const int LastUpdatedColumn = 2;
    public const int KeyColumn = 3;

    /// <summary>
    /// The page as a query giving <c>(n, body, last_updated, resource_key, request_id, patient_id)</c>,
    /// for <see cref="ReferralSources"/>: the ids the Task's focus and <c>for</c> name, kept in its
    /// feed row on write (migration 0051).
    /// </summary>
    public static string Page(NpgsqlCommand command, CallingPartner caller, FeedPosition after, int count) => $"""
        select row_number() over (order by f.last_updated, f.resource_key) as n, v.body, f.last_updated, f.resource_key, f.request_id, f.patient_id
        from task_feed f
        join resource r on r.resource_key = f.resource_key
        join resource_version v on v.resource_key = r.resource_key and v.version = r.version
        where f.partner_id = {command.Bind(caller.PartnerId)}
          and (f.last_updated, f.resource_key) > ({command.Bind(after.LastUpdated)}, {command.Bind(after.ResourceKey)})
          and {PartnerVisibility.Condition(command, caller, "r", ["Task"])}
        order by f.last_updated, f.resource_key
        limit {command.Bind(count)}
        """;
}
