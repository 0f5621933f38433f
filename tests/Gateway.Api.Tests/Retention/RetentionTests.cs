using Gateway.Api.Tests.Records;
using Gateway.Api.Tests.Workflow;
using Gateway.Jobs.Retention;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using FhirTask = Hl7.Fhir.Model.Task;
using Status = Hl7.Fhir.Model.Task.TaskStatus;

namespace Gateway.Api.Tests.Retention;

/// <summary>Retention periods of an hour (referrals) and two (audit), so the test clock moves hours, not years.</summary>
public sealed class RetentionGatewayApp : ClockedJobsGatewayApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        .. base.Settings(),
        new("Gateway:Jobs:RetainClosedReferrals", "PT1H"),
        new("Gateway:Jobs:RetainAudit", "PT2H"),
        new("Gateway:Jobs:RetainBundleResponses", "PT3H"),
    ];
}

/// <summary>SPEC §5 retention, run by the real Hangfire job: destructive, so each test shows both what goes and what stays.</summary>
public sealed class RetentionTests(RetentionGatewayApp gateway) : IClassFixture<RetentionGatewayApp>
{
    private readonly HttpClient _gp = gateway.Client;

    private Task<RetentionResult> RunDirectlyAsync() => gateway.Services.GetRequiredService<RetentionJob>().RunAsync(CancellationToken.None);

    private async Task<SentReferral> SendAndRejectAsync()
    {
        var referral = await Referrals.SendUkSampleAsync(_gp);
        var task = await gateway.Housing.ReferralTaskAsync(referral.RequestId);
        await Referrals.MoveAsync(gateway.Housing, task, Status.Rejected, t =>
        {
            t.StatusReason = Referrals.Reason("Tenant moved out of the area");
            t.Note = [new Annotation { Text = "Spoke to her daughter on 07700 900123" }];
        });
        return referral;
    }

    private async Task<Patient> PatientAsync(string id) => await (await _gp.GetAsync($"Patient/{id}")).ReadResourceAsync<Patient>();

    [Fact]
    public async Task Kept_bundle_answers_older_than_their_period_are_purged_and_younger_ones_kept()
    {
        var old = IdentifiedBatch();
        var young = IdentifiedBatch();
        var oldAnswer = await PostAsync(old);
        gateway.Clock.Advance(TimeSpan.FromHours(4));
        var youngAnswer = await PostAsync(young);

        var result = await RunDirectlyAsync();

        Assert.True(result.DeletedBundleResponses >= 1);
        Assert.NotEqual(oldAnswer, await PostAsync(old));
        Assert.Equal(youngAnswer, await PostAsync(young));
    }

    private static Bundle IdentifiedBatch() => new()
    {
        Type = Bundle.BundleType.Batch,
        Identifier = new Identifier("https://retention.test/bundles", Guid.NewGuid().ToString()),
        Entry = [new Bundle.EntryComponent { Resource = Resources.Patient(), Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Patient" } }],
    };

    private async Task<string> PostAsync(Bundle bundle)
    {
        using var response = await _gp.PostBundleAsync(bundle);
        // A Patient the gateway knows is matched (200 OK), so a fresh run of the batch answers otherwise than the kept 201 Created.
        var entry = (await response.ReadResourceAsync<Bundle>()).Entry.Single().Response;
        return $"{entry.Status} {entry.Location}";
    }

    [Fact]
    public void Retention_is_a_recurring_job()
    {
        Assert.NotNull(gateway.RecurringJob(RetentionJob.Id));
    }

    [Fact]
    public async Task A_closed_referral_older_than_the_period_loses_its_personal_data_also_in_history_and_others_are_left_alone()
    {
        var old = await SendAndRejectAsync();
        var open = await Referrals.SendUkSampleAsync(_gp);
        gateway.Clock.Advance(TimeSpan.FromMinutes(90));
        var recent = await SendAndRejectAsync();

        await RunDirectlyAsync();
        var anonymised = await ClockedJobsGatewayApp.EventuallyAsync(() => PatientAsync(old.PatientId), p => p.Name.Count == 0);

        Assert.True(anonymised.Name.Count == 0, "The old referral's Patient should have no name.");
        Assert.Empty(anonymised.Identifier);
        Assert.Empty(anonymised.Telecom);
        Assert.Empty(anonymised.Address);
        Assert.Equal(4, anonymised.BirthDate.Length);
        var history = await (await _gp.GetAsync($"Patient/{old.PatientId}/_history")).ReadResourceAsync<Bundle>();
        Assert.True(history.Entry.Count >= 2, "The Patient's history keeps its versions.");
        Assert.All(history.Entry.Select(e => (Patient)e.Resource), p =>
        {
            Assert.Empty(p.Name);
            Assert.Empty(p.Identifier);
            Assert.Empty(p.Telecom);
            Assert.Empty(p.Address);
        });
        var request = await (await _gp.GetAsync($"ServiceRequest/{old.RequestId}")).ReadResourceAsync<ServiceRequest>();
        Assert.Empty(request.Note);
        Assert.DoesNotContain(request.ReasonCode, c => c.Text is not null);
        var requestHistory = await (await _gp.GetAsync($"ServiceRequest/{old.RequestId}/_history")).ReadResourceAsync<Bundle>();
        Assert.All(requestHistory.Entry.Select(e => (ServiceRequest)e.Resource), r => Assert.Empty(r.Note));
        var task = await _gp.ReferralTaskAsync(old.RequestId);
        Assert.Equal(Status.Rejected, task.Status);
        Assert.Empty(task.Note);
        var taskHistory = await (await _gp.GetAsync($"Task/{task.Id}/_history")).ReadResourceAsync<Bundle>();
        Assert.All(taskHistory.Entry.Select(e => (FhirTask)e.Resource), t => Assert.Empty(t.Note));
        var trail = await _gp.SearchAsync($"Provenance?target=Patient/{old.PatientId}");
        Assert.Contains(trail.Entry.Select(e => ((Provenance)e.Resource).Activity.Text), a => a.StartsWith("Anonymised under the retention policy", StringComparison.Ordinal));

        Assert.NotEmpty((await PatientAsync(open.PatientId)).Name);
        Assert.NotEmpty((await PatientAsync(recent.PatientId)).Name);
        Assert.NotEmpty((await _gp.ReferralTaskAsync(recent.RequestId)).Note);
        Assert.NotEmpty((await (await _gp.GetAsync($"ServiceRequest/{open.RequestId}")).ReadResourceAsync<ServiceRequest>()).Note);

        var version = (await PatientAsync(old.PatientId)).Meta.VersionId;
        var again = await RunDirectlyAsync();
        Assert.DoesNotContain($"Patient/{old.PatientId}", again.AnonymisedPatients);
        Assert.Equal(version, (await PatientAsync(old.PatientId)).Meta.VersionId);
    }

    [Fact]
    public async Task A_patient_with_another_open_referral_keeps_its_personal_data()
    {
        var closed = await SendAndRejectAsync();
        var patient = await PatientAsync(closed.PatientId);
        // The GP withdraws the rejected referral and sends a new one for the same patient: that one is open.
        var first = await (await _gp.GetAsync($"ServiceRequest/{closed.RequestId}")).ReadResourceAsync<ServiceRequest>();
        first.Status = RequestStatus.Revoked;
        (await _gp.PutAsync($"ServiceRequest/{first.Id}", first)).EnsureSuccessStatusCode();
        var second = await _gp.CreateAsync(Resources.ServiceRequest(closed.PatientId, TestPartners.Gp));
        Assert.Equal(Status.Requested, (await _gp.ReferralTaskAsync(second.Id)).Status);
        gateway.Clock.Advance(TimeSpan.FromMinutes(90));

        await RunDirectlyAsync();

        Assert.Equal(patient.Name.Single().Family, (await PatientAsync(closed.PatientId)).Name.Single().Family);
    }

    [Fact]
    public async Task A_referral_closed_by_a_partner_record_loses_the_record_body_too()
    {
        var referral = await Referrals.SendUkSampleAsync(_gp);
        var request = await (await _gp.GetAsync($"ServiceRequest/{referral.RequestId}")).ReadResourceAsync<ServiceRequest>();
        var nhs = (await PatientAsync(referral.PatientId)).Identifier.Single().Value;
        using (var posted = await gateway.Housing.PostRecordAsync(RecordHttp.HousingCase("02-closed-completed.json", request.Identifier.Single().Value, nhs)
            .Replace("2026-12-20T15:05:00Z", "2026-11-20T15:05:00Z", StringComparison.Ordinal).Replace("2026-12-18", "2026-11-18", StringComparison.Ordinal)))
        {
            Assert.True(posted.StatusCode == System.Net.HttpStatusCode.OK, await posted.Content.ReadAsStringAsync());
        }

        var task = await _gp.ReferralTaskAsync(referral.RequestId);
        Assert.Equal(Status.Completed, task.Status);
        Assert.NotEmpty(task.Note);
        Assert.Contains(nhs, await RecordBodiesAsync(task.Id), StringComparison.Ordinal);
        gateway.Clock.Advance(TimeSpan.FromMinutes(90));

        var result = await RunDirectlyAsync();

        Assert.Contains($"Patient/{referral.PatientId}", result.AnonymisedPatients);
        Assert.Empty((await _gp.ReferralTaskAsync(referral.RequestId)).Note);
        Assert.Equal("", await RecordBodiesAsync(task.Id));
    }

    // AuditEvents from a read three hours ago and from one now; the cut is two hours back (the test's audit period).
    private async Task<DateTimeOffset> AuditEventsEitherSideOfThePeriodAsync()
    {
        await _gp.SearchAsync("Patient?_count=1");
        var start = gateway.Clock.GetUtcNow();
        await ClockedJobsGatewayApp.EventuallyAsync(() => CountAuditAsync("<", start + TimeSpan.FromSeconds(1)), n => n > 0);
        gateway.Clock.Advance(TimeSpan.FromHours(3));
        await _gp.SearchAsync("Patient?_count=1");
        var cut = gateway.Clock.GetUtcNow() - TimeSpan.FromHours(2);
        await ClockedJobsGatewayApp.EventuallyAsync(() => CountAuditAsync(">=", cut), n => n > 0);
        return cut;
    }

    private async Task<string> RecordBodiesAsync(string taskId)
    {
        await using var command = gateway.Database.CreateCommand("select coalesce(string_agg(body, ''), '') from partner_record where task_id = $1");
        command.Parameters.Add(new() { Value = taskId });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Audit_events_older_than_the_audit_period_are_deleted_and_younger_ones_kept()
    {
        var cut = await AuditEventsEitherSideOfThePeriodAsync();
        Assert.True(await CountAuditIndexRowsAsync(cut) > 0, "The old AuditEvents have index rows, so the purge has some to remove.");

        var result = await RunDirectlyAsync();

        Assert.True(result.DeletedAuditEvents > 0);
        Assert.Equal(0, await CountAuditAsync("<", cut));
        Assert.True(await CountAuditAsync(">=", cut) > 0, "AuditEvents younger than the period stay.");
        // The index tables and the versions have no foreign keys (migrations 0043, 0045): the purge deletes their rows itself.
        Assert.Equal("", await OrphanRowsAsync());
    }

    private async Task<long> CountAuditIndexRowsAsync(DateTimeOffset before)
    {
        await using var command = gateway.Database.CreateCommand("""
            select count(*) from search_token t join resource r on r.resource_key = t.resource_key
            where r.resource_type = 'AuditEvent' and r.last_updated < $1
            """);
        command.Parameters.Add(new() { Value = before });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static readonly string[] KeyedTables = ["search_token", "search_string", "search_date", "search_reference", "search_position", "resource_version"];

    // Each index table, and the versions, with rows whose resource is gone, and how many: empty when there are none.
    private async Task<string> OrphanRowsAsync()
    {
        await using var command = gateway.Database.CreateCommand(string.Join("\nunion all\n",
            KeyedTables.Select(table => $"""
                select '{table}: ' || count(*) from {table} x
                where not exists (select from resource r where r.resource_key = x.resource_key) having count(*) > 0
                """)));
        var found = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found.Add(reader.GetString(0));
        }

        return string.Join(", ", found);
    }

    [Fact]
    public async Task The_recurring_job_run_by_hangfire_on_the_moved_clock_purges_what_is_past_the_period()
    {
        var cut = await AuditEventsEitherSideOfThePeriodAsync();

        await Gateway.Api.Tests.PartnerSync.HangfireJobs.RunAsync(gateway, RetentionJob.Id);

        Assert.Equal(0, await CountAuditAsync("<", cut));
        Assert.True(await CountAuditAsync(">=", cut) > 0, "AuditEvents younger than the period stay.");
        Assert.Equal("", await OrphanRowsAsync());
    }

    private async Task<long> CountAuditAsync(string comparison, DateTimeOffset at)
    {
        await using var command = gateway.Database.CreateCommand($"select count(*) from resource where resource_type = 'AuditEvent' and last_updated {comparison} $1");
        command.Parameters.Add(new() { Value = at });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
