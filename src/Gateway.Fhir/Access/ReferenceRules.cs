using Gateway.Fhir.Errors;
using Gateway.Fhir.Search.Sql;
using Hl7.Fhir.Model;
using Npgsql;

namespace Gateway.Fhir.Access;

/// <summary>
/// A partner may only write what points at what it may see (SPEC §8): an outcome measure on a
/// referral whose Task it owns, for a patient its Consent lets it see; a Task for a referral it
/// is in. Checked when a transaction's writes are done, so references between the entries of one
/// bundle resolve. A reference to another partner's resource is refused exactly as one to a
/// resource that does not exist, so the answer tells nothing about the other partner's data.
/// A reference the version before already held stays allowed: a provider whose access to the
/// referral ended with the Consent still updates its own Task.
/// </summary>
internal static class ReferenceRules
{
    // The person-level types; references to the directory and the conformance resources are free.
    private static readonly string[] GuardedTypes = ["Patient", "ServiceRequest", "Task", "QuestionnaireResponse", "Consent"];

    /// <summary>Whether index rows hold a reference these rules check: without one, a write cannot break them.</summary>
    public static bool Guards(Search.Index.IndexRows rows) => rows.References.Exists(r => GuardedTypes.Contains(r.TargetType));

    /// <summary>The targets (<c>Type/id</c>) of the references in <paramref name="rows"/> these rules check.</summary>
    public static string[] GuardedTargets(Search.Index.IndexRows rows) =>
        rows.References.Where(r => GuardedTypes.Contains(r.TargetType)).Select(r => $"{r.TargetType}/{r.TargetId}").Distinct(StringComparer.Ordinal).ToArray();

    public static async System.Threading.Tasks.Task CheckAsync(NpgsqlCommand command, IReadOnlyList<(long Key, int Version, CallingPartner Partner)> writes, CancellationToken ct)
    {
        foreach (var group in writes.GroupBy(w => w.Partner.PartnerId))
        {
            command.Parameters.Clear();
            var partner = group.First().Partner;
            // Each resource as this transaction leaves it, against the version before its first write here.
            var last = group.GroupBy(w => w.Key).Select(g => (Key: g.Key, Version: g.Min(w => w.Version))).ToList();
            command.CommandText = $"""
                select x.resource_type, x.param, x.target_type, x.target_id
                from unnest({command.Bind(last.Select(w => w.Key).ToArray())}::bigint[], {command.Bind(last.Select(w => w.Version - 1).ToArray())}::int[]) w(resource_key, before)
                join search_reference x on x.resource_key = w.resource_key
                left join resource_version pv on pv.resource_key = w.resource_key and pv.version = w.before
                where x.target_type = any({command.Bind(GuardedTypes)})
                  and strpos(coalesce(pv.body::text, ''), '"' || x.target_type || '/' || x.target_id || '"') = 0
                  and not exists (select 1 from resource r where r.resource_type = x.target_type and r.resource_id = x.target_id
                                  and not r.is_deleted and {PartnerVisibility.Condition(command, partner, "r")})
                limit 1
                """;
            await using var batch = GenericallyPlanned(command);
            await using var reader = await batch.ExecuteReaderAsync(ct);
            await reader.NextResultAsync(ct); // past set_config's one row
            if (await reader.ReadAsync(ct))
            {
                var (type, param, targetType, targetId) = (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
                throw new FhirException(422, OperationOutcome.IssueType.NotFound,
                    $"{type}.{Element(type, param)} refers to {targetType}/{targetId}, which is not known to this server.", $"{type}.{Element(type, param)}");
            }
        }
    }

    // The check looks everything up by key (the written resources, then each target by type and
    // id, then its audience by partner and key), so no value can mislead a generic plan; the
    // custom plan PostgreSQL otherwise keeps choosing for it cost 0.7 ms of planning a write
    // (issue 18). Switched for this one statement, in the same round trip, and back to the
    // connection's own mode for the searches that follow in the transaction.
    private static NpgsqlBatch GenericallyPlanned(NpgsqlCommand command) =>
        Storage.PlanModeBatch.For(command, "force_generic_plan", command.Connection!, command.Transaction);

    // The search parameter's element where its name differs (R4 SearchParameter expressions).
    private static string Element(string type, string param) => (type, param) switch
    {
        (_, "based-on") => "basedOn",
        (_, "part-of") => "partOf",
        ("Task", "patient") => "for",
        ("ServiceRequest" or "QuestionnaireResponse", "patient") => "subject",
        _ => param,
    };
}
