using Gateway.Fhir.Access;
using Gateway.Fhir.Storage;

namespace Gateway.Fhir.Records;

/// <summary>
/// What a record applied alone looks up about its referral, as fixed statements planned once per
/// connection (issue 18, ninth pass): the Tasks focusing on a ServiceRequest, and the outcome
/// measures based on it. They find what the searches <c>focus=ServiceRequest/{id}</c> and
/// <c>based-on=ServiceRequest/{id}</c> find, but a search plans for its values at every call
/// (0.5 ms each, about a tenth of a record's PostgreSQL time), as a generic plan of a search may
/// drive from whichever condition comes first. Here the type, param and target type are constants
/// and the one value is the referral's id, so the only way in is that referral's index rows.
/// </summary>
internal static class ReferralLookups
{
    /// <summary>The ids of every Task focusing on the ServiceRequest (whoever owns it), as the gateway sees them.</summary>
    public static async Task<List<string>> TasksFocusingAsync(ResourceWriter gateway, string requestId, CancellationToken ct)
    {
        await using var command = gateway.Command();
        command.CommandText = """
            select t.resource_id from resource t
            where t.resource_key in (select f.resource_key from search_reference f
                                     where f.resource_type = 'Task' and f.param = 'focus' and f.target_type = 'ServiceRequest' and f.target_id = $1)
              and t.resource_type = 'Task' and not t.is_deleted
            order by t.resource_key
            """;
        command.Parameters.Add(new() { Value = requestId });
        return await gateway.LookUpIdsAsync("Task", command, ct);
    }

    /// <summary>The ids of the QuestionnaireResponses based on the ServiceRequest that the writer's caller may see.</summary>
    public static async Task<List<string>> MeasuresOfAsync(ResourceWriter writer, string requestId, CancellationToken ct)
    {
        await using var command = await writer.PartnerCommandAsync(ct);
        command.Parameters.Add(new() { Value = requestId });
        command.CommandText = $"""
            select r.resource_id from resource r
            where r.resource_key in (select b.resource_key from search_reference b
                                     where b.resource_type = 'QuestionnaireResponse' and b.param = 'based-on' and b.target_type = 'ServiceRequest' and b.target_id = $1)
              and r.resource_type = 'QuestionnaireResponse' and not r.is_deleted
              and {PartnerVisibility.Condition(command, writer.Caller, "r", ["QuestionnaireResponse"])}
            order by r.resource_key
            """;
        return await writer.LookUpIdsAsync("QuestionnaireResponse", command, ct);
    }
}
