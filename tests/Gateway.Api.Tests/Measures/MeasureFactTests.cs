using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Gateway.Api.Tests.Measures;

/// <summary>
/// The facts the Measures count are kept on write by triggers (Measures/Kept/MeasureFacts.sql):
/// after the referrals of <see cref="MeasuresGateway"/> were made, accepted, contacted, completed,
/// declined and measured over HTTP, what the triggers kept must equal what the script derives
/// from every stored version (measure_facts_rebuild), also after a stored body is rewritten in place.
/// </summary>
public sealed class MeasureFactTests(MeasuresGateway gateway) : IClassFixture<MeasuresGateway>
{
    [Fact]
    public async System.Threading.Tasks.Task What_the_triggers_kept_equals_what_every_stored_version_derives()
    {
        await using var connection = await Database().OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        Assert.True(await MeasureFactTables.CountAsync(connection, "select count(*) from referral_task_fact where request_id is not null") >= 18, "the fixture's referral Tasks were not kept");
        Assert.Equal(MeasureFactTables.InStep, await MeasureFactTables.KeptAgainstRebuiltAsync(connection));
        await transaction.RollbackAsync();
    }

    [Fact]
    public async System.Threading.Tasks.Task A_tasks_stored_body_rewritten_in_place_is_counted_as_it_now_reads()
    {
        var task = gateway.InArea[0].Task;
        await using var connection = await Database().OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var rewrite = new NpgsqlCommand("""
            update resource_version v set body = json_build_object('resourceType', 'Task', 'id', $1::text, 'status', 'cancelled',
                   'focus', v.body -> 'focus', 'owner', v.body -> 'owner', 'intent', 'order')
            from resource r where r.resource_type = 'Task' and r.resource_id = $1 and v.resource_key = r.resource_key and v.version = r.version
            """, connection, transaction))
        {
            rewrite.Parameters.Add(new() { Value = task });
            Assert.Equal(1, await rewrite.ExecuteNonQueryAsync());
        }

        await using (var status = new NpgsqlCommand(
            "select f.status from referral_task_fact f join resource r on r.resource_key = f.task_key where r.resource_type = 'Task' and r.resource_id = $1", connection, transaction))
        {
            status.Parameters.Add(new() { Value = task });
            Assert.Equal("cancelled", await status.ExecuteScalarAsync());
        }

        Assert.Equal(MeasureFactTables.InStep, await MeasureFactTables.KeptAgainstRebuiltAsync(connection));
        await transaction.RollbackAsync();
    }

    [Fact]
    public async System.Threading.Tasks.Task A_deleted_patient_and_measurement_are_no_longer_counted()
    {
        var (patient, _, _, measures) = gateway.InArea[0];
        await using var connection = await Database().OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        // As ResourceWriter deletes: a version without a body, then the current row marked deleted.
        await using (var delete = new NpgsqlCommand("""
            with gone as (
                select resource_key, resource_type, version + 1 as version from resource
                where (resource_type, resource_id) in (('Patient', $1), ('QuestionnaireResponse', $2))),
            versions as (
                insert into resource_version (resource_key, version, resource_type, last_updated, method, body)
                select resource_key, version, resource_type, now(), 'DELETE', null from gone)
            update resource r set version = g.version, is_deleted = true from gone g where r.resource_key = g.resource_key
            """, connection, transaction))
        {
            delete.Parameters.Add(new() { Value = patient });
            delete.Parameters.Add(new() { Value = measures[0] });
            Assert.Equal(2, await delete.ExecuteNonQueryAsync());
        }

        Assert.Equal(0L, await MeasureFactTables.CountAsync(connection, $"select count(*) from referral_patient_fact where patient_id = '{patient}'"));
        Assert.Equal(0L, await MeasureFactTables.CountAsync(connection, $"select count(*) from wellbeing_score s join resource r on r.resource_key = s.response_key where r.resource_id = '{measures[0]}'"));
        Assert.Equal(MeasureFactTables.InStep, await MeasureFactTables.KeptAgainstRebuiltAsync(connection));
        await transaction.RollbackAsync();
    }

    // A measure deleted for good (ResourcePurge: its index rows, its versions, then its row) takes
    // its wellbeing scores with it; wellbeing_score has no foreign key to cascade, a trigger does it.
    [Fact]
    public async System.Threading.Tasks.Task A_measurement_deleted_for_good_leaves_no_scores()
    {
        var measure = gateway.InArea[0].Measures[0];
        await using var connection = await Database().OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var scores = $"select count(*) from wellbeing_score s join resource r on r.resource_key = s.response_key where r.resource_id = '{measure}'";
        Assert.True(await MeasureFactTables.CountAsync(connection, scores) > 0, "the fixture's measurement has no scores");

        await using (var purge = new NpgsqlCommand("""
            with gone as (select resource_key from resource where resource_type = 'QuestionnaireResponse' and resource_id = $1),
            versions as (delete from resource_version v using gone g where v.resource_key = g.resource_key)
            delete from resource r using gone g where r.resource_key = g.resource_key
            """, connection, transaction))
        {
            purge.Parameters.Add(new() { Value = measure });
            Assert.Equal(1, await purge.ExecuteNonQueryAsync());
        }

        Assert.Equal(0L, await MeasureFactTables.CountAsync(connection, "select count(*) from wellbeing_score s where not exists (select from resource r where r.resource_key = s.response_key)"));
        Assert.Equal(MeasureFactTables.InStep, await MeasureFactTables.KeptAgainstRebuiltAsync(connection));
        await transaction.RollbackAsync();
    }

    // One statement may store a Task's new version and its deletion together; the deletion wins, as
    // the kept row must not come back from the version stored before it (the trigger reads the
    // statement's versions for a later deletion only when the statement has one).
    [Fact]
    public async System.Threading.Tasks.Task A_task_updated_and_deleted_in_one_statement_is_no_longer_counted()
    {
        var task = gateway.InArea[1].Task;
        await using var connection = await Database().OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        await using (var updateAndDelete = new NpgsqlCommand("""
            with stored as (
                select r.resource_key, r.version, v.body from resource r
                join resource_version v on v.resource_key = r.resource_key and v.version = r.version
                where r.resource_type = 'Task' and r.resource_id = $1),
            versions as (
                insert into resource_version (resource_key, version, resource_type, last_updated, method, body)
                select resource_key, version + 1, 'Task', now(), 'PUT', jsonb_set(body::jsonb, '{status}', '"completed"')::json from stored
                union all
                select resource_key, version + 2, 'Task', now(), 'DELETE', null from stored)
            update resource r set version = c.version + 2, is_deleted = true from stored c where r.resource_key = c.resource_key
            """, connection, transaction))
        {
            updateAndDelete.Parameters.Add(new() { Value = task });
            Assert.Equal(1, await updateAndDelete.ExecuteNonQueryAsync());
        }

        Assert.Equal(0L, await MeasureFactTables.CountAsync(connection,
            $"select count(*) from referral_task_fact f join resource r on r.resource_key = f.task_key where r.resource_type = 'Task' and r.resource_id = '{task}'"));
        Assert.Equal(MeasureFactTables.InStep, await MeasureFactTables.KeptAgainstRebuiltAsync(connection));
        await transaction.RollbackAsync();
    }

    // A Task's authoredOn decides the period that counts it; one the trigger cannot read must give
    // no period rather than an error, which would refuse the write that fired it.
    [Theory]
    [InlineData("2026-03-05T10:15:00+01:00", "2026-03-05T09:15:00Z")]
    [InlineData("2026-03-05T10:15:00.123Z", "2026-03-05T10:15:00.123Z")]
    [InlineData("2026-03-05", "2026-03-05T00:00:00Z")]
    [InlineData("2024-02-29", "2024-02-29T00:00:00Z")]
    [InlineData("2026-03", "2026-03-01T00:00:00Z")]
    [InlineData("2026", "2026-01-01T00:00:00Z")]
    [InlineData("2026-02-29", null)]
    [InlineData("2026-02-30T10:00:00Z", null)]
    [InlineData("2026-13-01", null)]
    [InlineData("2026-00", null)]
    [InlineData("0000-01-01", null)]
    [InlineData("2026-03-05T24:00:00Z", null)]
    [InlineData("2026-03-05T10:15Z", null)]
    [InlineData("2026-03-05T10:15:00", null)]
    [InlineData("5 March 2026", null)]
    [InlineData("", null)]
    public async System.Threading.Tasks.Task An_authored_on_is_read_as_an_instant_or_as_none(string authoredOn, string? instant)
    {
        await using var command = Database().CreateCommand("select fhir_instant($1)");
        command.Parameters.Add(new() { Value = authoredOn });

        var read = await command.ExecuteScalarAsync();

        DateTimeOffset? expected = instant is null ? null : DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, read is DateTime at ? new DateTimeOffset(at) : null);
    }

    private NpgsqlDataSource Database() => gateway.Services.GetRequiredService<NpgsqlDataSource>();
}
