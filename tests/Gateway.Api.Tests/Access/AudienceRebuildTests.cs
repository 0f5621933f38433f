using System.Net;
using Gateway.Api.Tests.Fhir;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Gateway.Api.Tests.Access;

/// <summary>
/// The audience the store keeps on write (Access/Audience.sql, refresh_audience) against what the
/// rules derive from the store as it now is (audience_rows over every resource): after the
/// workflow's writes, and after racing writes of one referral, no row may be kept that the rules
/// no longer give, nor missing that they do. A stale row is a partner reading what it may not.
/// </summary>
public sealed class AudienceRebuildTests(GatewayApp gateway) : IClassFixture<GatewayApp>, IAsyncLifetime
{
    private const string InStep = "0 kept only, 0 derived only";

    private HttpClient _gp = null!;
    private HttpClient _housing = null!;

    public async System.Threading.Tasks.Task InitializeAsync()
    {
        _gp = gateway.Client;
        _housing = await gateway.CreateClientAsync(TestPartners.Housing);
    }

    public System.Threading.Tasks.Task DisposeAsync()
    {
        _housing.Dispose();
        return System.Threading.Tasks.Task.CompletedTask;
    }

    [Fact]
    public async System.Threading.Tasks.Task After_referrals_a_measure_a_revoked_consent_and_a_deletion_the_kept_audience_equals_a_rebuild()
    {
        using (var bundle = await _gp.PostBundleAsync((await GpReferral.PrepareAsync(_gp)).Json))
        {
            Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
        }

        await Referral(); // one whose Consent stays
        var (patient, request, task, consent) = await Referral();
        await _housing.CreateAsync(Resources.Ons4(request.Id, patient.Id));
        await Workflow.Referrals.MoveAsync(_housing, task, Hl7.Fhir.Model.Task.TaskStatus.Accepted);
        consent.Status = Consent.ConsentState.Inactive;
        using (var revoked = await _gp.PutAsync($"Consent/{consent.Id}", consent))
        {
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }

        var (other, _, _, otherConsent) = await Referral();
        using (var deleted = await _gp.DeleteAsync($"Consent/{otherConsent.Id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await _housing.GetAsync($"Patient/{other.Id}")).StatusCode);
        var differences = await KeptAgainstRebuiltAsync();
        Assert.True(differences == InStep, differences);
    }

    // A resource deleted for good (ResourcePurge: its index rows, its versions, then its row) takes
    // its audience with it; resource_audience has no foreign key to cascade, a trigger does it.
    [Fact]
    public async System.Threading.Tasks.Task A_patient_deleted_for_good_leaves_no_audience_rows()
    {
        var patient = await _gp.CreateAsync(Resources.Patient());
        await using var connection = await gateway.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var rows = new NpgsqlCommand("""
            select count(*) from resource_audience a where not exists (select from resource r where r.resource_key = a.resource_key)
            union all
            select count(*) from resource_audience a join resource r on r.resource_key = a.resource_key where r.resource_id = $1
            """, connection, transaction);
        rows.Parameters.Add(new() { Value = patient.Id });
        Assert.Equal([0L, 1L], await CountsAsync(rows));

        await using (var purge = new NpgsqlCommand("""
            with gone as (select resource_key from resource where resource_type = 'Patient' and resource_id = $1),
            versions as (delete from resource_version v using gone g where v.resource_key = g.resource_key)
            delete from resource r using gone g where r.resource_key = g.resource_key
            """, connection, transaction))
        {
            purge.Parameters.Add(new() { Value = patient.Id });
            Assert.Equal(1, await purge.ExecuteNonQueryAsync());
        }

        Assert.Equal([0L, 0L], await CountsAsync(rows));
        await transaction.RollbackAsync();
    }

    private static async Task<List<long>> CountsAsync(NpgsqlCommand command)
    {
        var counts = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts.Add(reader.GetInt64(0));
        }

        return counts;
    }

    // POST Patient writes its created row without refresh_audience (PendingAudience, issue 18's tenth
    // pass); alone, two in one transaction, each partner's, and then named by a referral and a Task.
    [Fact]
    public async System.Threading.Tasks.Task New_patients_posted_alone_or_together_keep_what_a_rebuild_gives_also_once_a_referral_names_them()
    {
        var alone = await _gp.CreateAsync(Resources.Patient());
        await _housing.CreateAsync(Resources.Patient(family: "Jansen"));
        var together = new Bundle
        {
            Type = Bundle.BundleType.Transaction,
            Entry =
            [
                new() { FullUrl = $"urn:uuid:{Guid.NewGuid()}", Resource = Resources.Patient(family: "Bakker"), Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Patient" } },
                new() { FullUrl = $"urn:uuid:{Guid.NewGuid()}", Resource = Resources.Patient(family: "Visser"), Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Patient" } },
            ],
        };
        using (var posted = await _gp.PostBundleAsync(together))
        {
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await _gp.GetAsync($"Patient/{alone.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _housing.GetAsync($"Patient/{alone.Id}")).StatusCode);

        var (patient, _, task, _) = await Referral();
        await Workflow.Referrals.MoveAsync(_housing, task, Hl7.Fhir.Model.Task.TaskStatus.Accepted);
        Assert.Equal(HttpStatusCode.OK, (await _housing.GetAsync($"Patient/{patient.Id}")).StatusCode);

        var differences = await KeptAgainstRebuiltAsync();
        Assert.True(differences == InStep, differences);
    }

    [Fact]
    public async System.Threading.Tasks.Task Racing_consent_changes_on_one_referral_leave_the_audience_equal_to_a_rebuild()
    {
        var (patient, _, task, consent) = await Referral();
        await Workflow.Referrals.MoveAsync(_housing, task, Hl7.Fhir.Model.Task.TaskStatus.Accepted);

        for (var round = 0; round < 4; round++)
        {
            consent.Status = round % 2 == 0 ? Consent.ConsentState.Inactive : Consent.ConsentState.Active;
            var writes = new[]
            {
                _gp.PutAsync($"Consent/{consent.Id}", consent),
                _gp.PostAsync("Consent", Resources.Consent(patient.Id, TestPartners.Housing, new Period { Start = "2026-01-01", End = $"209{round}-12-31" })),
            };
            foreach (var response in await System.Threading.Tasks.Task.WhenAll(writes))
            {
                Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                response.Dispose();
            }

            consent = await (await _gp.GetAsync($"Consent/{consent.Id}")).ReadResourceAsync<Consent>();
        }

        var differences = await KeptAgainstRebuiltAsync();
        Assert.True(differences == InStep, differences);
    }

    private async Task<(Patient Patient, ServiceRequest Request, Hl7.Fhir.Model.Task Task, Consent Consent)> Referral()
    {
        var patient = await _gp.CreateAsync(Resources.Patient());
        var consent = await _gp.CreateAsync(Resources.Consent(patient.Id, TestPartners.Housing));
        var request = await _gp.CreateAsync(Resources.ServiceRequest(patient.Id, TestPartners.Gp, TestPartners.Housing));
        return (patient, request, await _gp.ReferralTaskAsync(request.Id), consent);
    }

    // The kept rows copied, every resource's derived again in the same transaction, the differences
    // counted both ways (as multisets), and everything rolled back.
    private async Task<string> KeptAgainstRebuiltAsync()
    {
        await using var connection = await gateway.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, "create temp table kept_audience on commit drop as select * from resource_audience");
        await ExecuteAsync(connection, """
            delete from resource_audience;
            insert into resource_audience (resource_key, partner_id, may_write, valid_from, valid_until, reason)
            select * from audience_rows(array(select resource_key from resource));
            """);
        var keptOnly = await RowsAsync(connection, "select * from kept_audience except all select * from resource_audience");
        var derivedOnly = await RowsAsync(connection, "select * from resource_audience except all select * from kept_audience");
        Assert.True(await CountAsync(connection, "select count(*) from kept_audience where reason = 'consent'") > 0, "no consent row was kept: the test made no referral a Consent opens");
        await transaction.RollbackAsync();
        return $"{keptOnly.Count} kept only, {derivedOnly.Count} derived only" + string.Concat(keptOnly.Select(r => $"\nkept only: {r}")) + string.Concat(derivedOnly.Select(r => $"\nderived only: {r}"));
    }

    // Each row as "Task/… partner reason [from, until)", to say in a failure what is wrong and where.
    private static async Task<List<string>> RowsAsync(NpgsqlConnection connection, string rows)
    {
        await using var command = new NpgsqlCommand($"""
            select r.resource_type || '/' || r.resource_id || ' ' || d.partner_id || ' ' || d.reason || case when d.may_write then ' (may write)' else '' end
                   || ' [' || d.valid_from || ', ' || d.valid_until || ')' || case when r.is_deleted then ' (deleted)' else '' end
            from ({rows}) d join resource r on r.resource_key = d.resource_key order by 1
            """, connection);
        var found = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async System.Threading.Tasks.Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
