using Gateway.Fhir.Serialization;
using Hl7.Fhir.Model;
using Npgsql;

namespace Gateway.Fhir.Timeline;

/// <summary>A Task's stored version.</summary>
internal sealed record TaskVersionRow(int Version, DateTimeOffset LastUpdated, string Method, Hl7.Fhir.Model.Task? Task);

/// <summary>A partner record as the timeline shows it (no body: that is clinical content).</summary>
internal sealed record RecordRow(string RecordId, string PartnerId, string Format, string RecordKey, DateTimeOffset ReceivedAt, string Source,
    string State, IReadOnlyList<IssueRow> Issues, IReadOnlyList<string> Produced, DateTimeOffset? ProcessedAt, int Attempts);

internal sealed record IssueRow(string Code, string Location, string Message);

internal sealed record DeliveryRow(long Id, string Kind, string Target, string Resource, DateTimeOffset CreatedAt, string State, int Attempts,
    DateTimeOffset NextAttemptAt, string? LastError, DateTimeOffset? DeliveredAt, string? SubscriptionStatus);

/// <summary>The SQL of the referral timeline: plain reads of the store, the record log and the outbox, as the gateway (no partner filter).</summary>
internal static class TimelineRows
{
    /// <summary>
    /// The newest Task for <paramref name="id"/>: a Task id, a Task identifier (referral number),
    /// a ServiceRequest id, or a ServiceRequest identifier value (the GP's referral id).
    /// </summary>
    public static async Task<string?> ResolveTaskAsync(NpgsqlDataSource db, string id, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            with requests as (
                select resource_id from resource where resource_type = 'ServiceRequest' and resource_id = $1
                union
                select r.resource_id from search_token t join resource r on r.resource_key = t.resource_key
                where t.resource_type = 'ServiceRequest' and t.param = 'identifier' and t.code = $1
            ), tasks as (
                select resource_key from resource where resource_type = 'Task' and resource_id = $1
                union
                select resource_key from search_token where resource_type = 'Task' and param = 'identifier' and code = $1
                union
                select s.resource_key from search_reference s join requests q on s.target_id = q.resource_id
                where s.resource_type = 'Task' and s.param = 'focus' and s.target_type = 'ServiceRequest'
            )
            select r.resource_id from resource r join tasks t on t.resource_key = r.resource_key
            where not r.is_deleted order by r.last_updated desc limit 1
            """);
        command.Parameters.Add(new() { Value = id });
        return await command.ExecuteScalarAsync(ct) as string;
    }

    public static async Task<List<TaskVersionRow>> TaskVersionsAsync(NpgsqlDataSource db, string taskId, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            select v.version, v.last_updated, v.method, v.body::text
            from resource r join resource_version v on v.resource_key = r.resource_key
            where r.resource_type = 'Task' and r.resource_id = $1 order by v.version
            """);
        command.Parameters.Add(new() { Value = taskId });
        var rows = new List<TaskVersionRow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new TaskVersionRow(reader.GetInt32(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : FhirSerialization.FromStoredJson(reader.GetString(3)) as Hl7.Fhir.Model.Task));
        }

        return rows;
    }

    /// <summary>
    /// The current versions of the resources of type $1 whose $2 reference points at one of the
    /// targets ($3 types, $4 ids). One index probe a target: comparing <c>target_type || '/' ||
    /// target_id</c> read every row of the type's parameter, about 190 ms for a referral's Provenance
    /// on a 100,000-referral store.
    /// </summary>
    internal const string ReferringQuery = """
        select distinct on (m.resource_key) m.resource_id, m.body
        from unnest($3::text[], $4::text[]) n(target_type, target_id)
        cross join lateral (
            select r.resource_key, r.resource_id, v.body::text as body
            from search_reference s
            join resource r on r.resource_key = s.resource_key and not r.is_deleted
            join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            where s.resource_type = $1 and s.param = $2 and s.target_type = n.target_type and s.target_id = n.target_id
            offset 0) m
        """;

    /// <summary>The current versions of the resources of <paramref name="type"/> whose <paramref name="param"/> reference points at one of <paramref name="targets"/>.</summary>
    public static async Task<List<T>> ReferringAsync<T>(NpgsqlDataSource db, string type, string param, IReadOnlyList<(string Type, string Id)> targets, CancellationToken ct) where T : Resource
    {
        await using var command = db.CreateCommand(ReferringQuery);
        command.Parameters.Add(new() { Value = type });
        command.Parameters.Add(new() { Value = param });
        command.Parameters.Add(new() { Value = targets.Select(t => t.Type).ToArray() });
        command.Parameters.Add(new() { Value = targets.Select(t => t.Id).ToArray() });
        var resources = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (FhirSerialization.FromStoredJson(reader.GetString(1)) is T resource)
            {
                resources.Add(resource);
            }
        }

        return resources;
    }

    /// <summary>
    /// Records applied to the Task, and records not applied that name it (its id, its referral
    /// number or the GP's referral id, as a quoted JSON string): a rejected record has no Task yet.
    /// </summary>
    public static async Task<List<RecordRow>> RecordsAsync(NpgsqlDataSource db, string taskId, IReadOnlyList<string> names, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            select record_id, partner_id, format, record_key, received_at, source, state, issues::text, produced::text, processed_at, attempts
            from partner_record
            where task_id = $1
               or (state <> 'applied' and exists (select 1 from unnest($2::text[]) n where strpos(body, '"' || n || '"') > 0))
            order by received_at, record_id
            """);
        command.Parameters.Add(new() { Value = taskId });
        command.Parameters.Add(new() { Value = names.ToArray() });
        var rows = new List<RecordRow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new RecordRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetString(5), reader.GetString(6),
                System.Text.Json.JsonSerializer.Deserialize<List<IssueRow>>(reader.GetString(7)) ?? [],
                System.Text.Json.JsonSerializer.Deserialize<List<string>>(reader.GetString(8)) ?? [],
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9), reader.GetInt32(10)));
        }

        return rows;
    }

    /// <summary>The outbox rows (Subscription notifications, referral webhooks) caused by changes of the Task or its ServiceRequest.</summary>
    public static async Task<List<DeliveryRow>> DeliveriesAsync(NpgsqlDataSource db, string taskId, string? requestId, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            select id, kind, target, resource_type || '/' || resource_id || '/_history/' || resource_version, created_at, state, attempts,
                   next_attempt_at, last_error, delivered_at,
                   (select t.code from resource s join search_token t on t.resource_key = s.resource_key and t.param = 'status'
                    where target like 'Subscription/%' and s.resource_type = 'Subscription' and s.resource_id = substr(target, length('Subscription/') + 1)
                    limit 1)
            from notification_outbox
            where (resource_type = 'Task' and resource_id = $1) or (resource_type = 'ServiceRequest' and resource_id = $2)
            order by id
            """);
        command.Parameters.Add(new() { Value = taskId });
        command.Parameters.Add(new() { Value = (object?)requestId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var rows = new List<DeliveryRow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new DeliveryRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetString(5), reader.GetInt32(6), reader.GetFieldValue<DateTimeOffset>(7), reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9), reader.IsDBNull(10) ? null : reader.GetString(10)));
        }

        return rows;
    }
}
