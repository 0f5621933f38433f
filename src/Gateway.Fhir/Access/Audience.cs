using Hl7.Fhir.Model;
using Npgsql;
using NpgsqlTypes;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Access;

/// <summary>
/// Keeps each resource's audience (<c>Audience.sql</c>) in step with the store: every version
/// written or deleted is refreshed before the transaction's own next read as a partner and before
/// it commits (<see cref="PendingAudience"/>), so those reads, and every read after it commits,
/// see who may read and change what it wrote.
/// </summary>
internal static class Audience
{
    // The types a rule of Audience.sql derives an audience for, or whose audience depends on them.
    private static readonly HashSet<string> DerivedTypes = ["Patient", "ServiceRequest", "Task", "QuestionnaireResponse", "Consent", "Provenance", "HealthcareService", "MeasureReport"];

    /// <summary>
    /// Whether a write can change any audience: a partner's (it created what it wrote) or one of the
    /// workflow's types, unless the version before is known and points at the same people and
    /// referral (a Task's status move, the most common write, changes no audience). The gateway's
    /// own audit trail and configuration have none to refresh.
    /// </summary>
    public static bool Concerns(string resourceType, CallingPartner? writer, Resource? previous = null, Resource? current = null)
    {
        if (writer is null && !DerivedTypes.Contains(resourceType))
        {
            return false;
        }

        return previous is null || current is null || previous is Consent || !SameParties(previous, current);
    }

    // What the rules read of a resource's own version, the same in both: whom it names and what it belongs to.
    // Compared in place (issue 18, thirteenth pass): two joined strings a write were most of what this cost.
    private static bool SameParties(Resource previous, Resource current) => (previous, current) switch
    {
        (FhirTask a, FhirTask b) => SamePointedAt(a, b) && a.Requester?.Reference == b.Requester?.Reference && a.Owner?.Reference == b.Owner?.Reference,
        (ServiceRequest a, ServiceRequest b) => SamePointedAt(a, b) && a.Requester?.Reference == b.Requester?.Reference,
        (HealthcareService a, HealthcareService b) => a.ProvidedBy?.Reference == b.ProvidedBy?.Reference,
        _ => previous is not (FhirTask or ServiceRequest or HealthcareService) && current is not (FhirTask or ServiceRequest or HealthcareService),
    };

    private static bool SamePointedAt(Resource previous, Resource current)
    {
        var (a, b) = (PointedAt(previous), PointedAt(current));
        return a.AsSpan().SequenceEqual(b);
    }

    /// <summary>
    /// One refresh after many writes (<see cref="PendingAudience"/>). It derives at least what a
    /// refresh per write would have: refresh_audience takes the union of its seeds, derives from
    /// the store as it is now (what the last write left), and a few resources more than needed
    /// cost time, never access (every row it writes is what a full rebuild gives).
    /// </summary>
    public static NpgsqlCommand Refresh(IReadOnlyCollection<long> keys, IReadOnlyCollection<string> previousReferences)
    {
        var command = new NpgsqlCommand("select refresh_audience($1, $2)");
        command.Parameters.Add(new() { Value = keys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = previousReferences.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return command;
    }

    /// <summary>
    /// Whether Audience.sql derives nothing for a new resource of <paramref name="resourceType"/>
    /// but its creator's <c>created</c> row, as long as nothing names it: no rule is about the
    /// type, or (a Patient) only rules that start from a referral or Task naming it.
    /// </summary>
    public static bool OnlyCreatedDerives(string resourceType) => resourceType == "Patient" || !DerivedTypes.Contains(resourceType);

    /// <summary>
    /// The <c>created</c> row of Audience.sql for each of <paramref name="keys"/>, its creator in
    /// <paramref name="creators"/> (same order): what refresh_audience would insert for new
    /// resources that nothing names (<see cref="PendingAudience"/>), without its derivation.
    /// </summary>
    public static NpgsqlCommand CreatedRows(long[] keys, string[] creators)
    {
        var command = new NpgsqlCommand("""
            insert into resource_audience (resource_key, partner_id, may_write, valid_from, valid_until, reason)
            select k, p, true, '-infinity', 'infinity', 'created' from unnest($1, $2) c(k, p)
            """);
        command.Parameters.Add(new() { Value = keys, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = creators, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return command;
    }

    /// <summary>The references whose targets' audience the rules derive from this resource (Audience.sql, refresh_audience's seed): what a version before pointed at may have lost a reader.</summary>
    public static string[] PointedAt(Resource? resource) => resource switch
    {
        FhirTask task => References(task.Focus, task.For, task.BasedOn),
        ServiceRequest request => References(request.Subject, null, null),
        Consent consent => References(consent.Patient, null, null),
        _ => [],
    };

    // The referrals and patients among them, in order; one array, without LINQ's iterators (a write asks twice).
    private static string[] References(ResourceReference? first, ResourceReference? second, List<ResourceReference>? more)
    {
        var found = new string[2 + (more?.Count ?? 0)];
        var count = 0;
        Add(first);
        Add(second);
        for (var i = 0; i < (more?.Count ?? 0); i++)
        {
            Add(more![i]);
        }

        return count == found.Length ? found : count == 0 ? [] : found[..count];

        void Add(ResourceReference? reference)
        {
            if (reference?.Reference is { } url && (url.StartsWith("ServiceRequest/", StringComparison.Ordinal) || url.StartsWith("Patient/", StringComparison.Ordinal)))
            {
                found[count++] = url;
            }
        }
    }
}
