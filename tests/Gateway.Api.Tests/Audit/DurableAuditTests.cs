using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Npgsql;

namespace Gateway.Api.Tests.Audit;

/// <summary>
/// No response leaves the gateway before its AuditEvent is committed (SPEC §8), and a response
/// whose AuditEvent cannot be stored does not leave at all.
/// </summary>
public sealed class DurableAuditTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    [Fact]
    public async Task A_read_gets_no_response_until_its_AuditEvent_is_committed()
    {
        using var gp = await gateway.CreateClientAsync(TestPartners.OtherGp);
        var patient = await gp.CreateAsync(Resources.Patient());

        Task<HttpResponseMessage> read;
        await using (var holder = await gateway.Database.OpenConnectionAsync())
        await using (var transaction = await holder.BeginTransactionAsync())
        {
            // Reads pass a share lock; the AuditEvent's insert into the same table waits behind it.
            await Execute(holder, "lock table resource in share mode");
            read = gp.GetAsync($"Patient/{patient.Id}");
            await UntilAnInsertWaitsOnTheLock(holder);

            Assert.False(read.IsCompleted, "The read was answered while its AuditEvent could not be committed.");
            await transaction.RollbackAsync();
        }

        using var response = await read;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Stored by the time the client has the answer: no waiting for the trail.
        Assert.Single(await ReadsOf(patient.Id));
    }

    [Fact]
    public async Task When_the_trail_cannot_be_stored_the_client_gets_no_data()
    {
        using var gp = await gateway.CreateClientAsync(TestPartners.OtherGp);
        var patient = await gp.CreateAsync(Resources.Patient());

        await using (await RefusingAuditEvents("true"))
        {
            // The connection is cut before the status line: no 200, no 5xx, no body.
            await Assert.ThrowsAsync<HttpRequestException>(() => gp.GetAsync($"Patient/{patient.Id}"));
        }

        // The database is back: the gateway answers again, each answer with its AuditEvent.
        using var again = await gp.GetAsync($"Patient/{patient.Id}");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Single(await ReadsOf(patient.Id));
    }

    [Fact]
    public async Task An_AuditEvent_the_database_refuses_withholds_only_its_own_response()
    {
        using var gp = await gateway.CreateClientAsync(TestPartners.OtherGp);
        var refused = await gp.CreateAsync(Resources.Patient());
        var others = new[] { await gp.CreateAsync(Resources.Patient()), await gp.CreateAsync(Resources.Patient()), await gp.CreateAsync(Resources.Patient()) };

        await using (await RefusingAuditEvents($"new.body::text like '%Patient/{refused.Id}%'"))
        {
            Task<HttpResponseMessage>[] reads;
            await using (var holder = await gateway.Database.OpenConnectionAsync())
            await using (var transaction = await holder.BeginTransactionAsync())
            {
                // The writer is held inside a group of one read; the reads below queue behind it, so
                // that the refused AuditEvent shares the next group with the others.
                await Execute(holder, "lock table resource in share mode");
                var first = gp.GetAsync($"Patient/{others[0].Id}");
                await UntilAnInsertWaitsOnTheLock(holder);
                reads = [first, gp.GetAsync($"Patient/{refused.Id}"), .. others.Select(p => gp.GetAsync($"Patient/{p.Id}"))];
                // Time for the reads to reach the queue. Were one late, it would go in a group of its
                // own and the test would pass without showing anything; it cannot fail because of it.
                await System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(1));
                await transaction.RollbackAsync();
            }

            await Assert.ThrowsAsync<HttpRequestException>(() => reads[1]);
            foreach (var read in reads.Where((_, i) => i != 1))
            {
                using var response = await read;
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        Assert.Equal(2, (await ReadsOf(others[0].Id)).Count);
        Assert.Single(await ReadsOf(others[1].Id));
        Assert.Single(await ReadsOf(others[2].Id));
        Assert.Empty(await ReadsOf(refused.Id));
    }

    /// <summary>Makes the database refuse every AuditEvent whose version row meets <paramref name="condition"/>, until disposed.</summary>
    private async Task<IAsyncDisposable> RefusingAuditEvents(string condition)
    {
        var admin = await gateway.Database.OpenConnectionAsync();
        await Execute(admin, $$"""
            create function refuse_audit() returns trigger language plpgsql as $$
            begin raise exception 'test: this AuditEvent is refused'; end $$;
            create trigger refuse_audit before insert on resource_version for each row
            when (new.resource_type = 'AuditEvent' and {{condition}}) execute function refuse_audit();
            """);
        return new Refusal(admin);
    }

    private sealed class Refusal(NpgsqlConnection admin) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Execute(admin, "drop trigger refuse_audit on resource_version; drop function refuse_audit()");
            await admin.DisposeAsync();
        }
    }

    private async Task<List<AuditEvent>> ReadsOf(string patientId)
    {
        using var ops = await gateway.CreateClientAsync(TestPartners.Operator, "system/AuditEvent.rs");
        var bundle = await ops.SearchAsync($"AuditEvent?entity=Patient/{patientId}&subtype=read&_count=100");
        return bundle.Entry.Select(e => (AuditEvent)e.Resource).ToList();
    }

    // Bounded, not timed: it waits for a state of the database and fails if it never comes.
    private static async System.Threading.Tasks.Task UntilAnInsertWaitsOnTheLock(NpgsqlConnection holder)
    {
        for (var i = 0; i < 600; i++)
        {
            // Not pg_stat_activity's query text: a statement waiting in its Parse (a newly prepared one) still shows the one before.
            await using var command = new NpgsqlCommand("select count(*) from pg_locks where not granted and relation = 'resource'::regclass", holder);
            if ((long)(await command.ExecuteScalarAsync())! > 0)
            {
                return;
            }

            await System.Threading.Tasks.Task.Delay(50);
        }

        await using var activity = new NpgsqlCommand("""
            select string_agg(concat_ws(' | ', application_name, state, wait_event_type, wait_event, left(regexp_replace(query, '\s+', ' ', 'g'), 120)), E'\n')
            from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()
            """, holder);
        throw new TimeoutException($"No insert into resource ever waited on the test's lock: the read stored no AuditEvent. The database's sessions:\n{await activity.ExecuteScalarAsync()}");
    }

    private static async System.Threading.Tasks.Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
