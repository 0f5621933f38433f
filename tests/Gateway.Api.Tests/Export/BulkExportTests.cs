using System.Net;
using System.Text.Json;
using Gateway.Jobs.Export;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Api.Tests.Export;

/// <summary>
/// Issue 19 item 7: Bulk Data $export for evaluators (SPEC §10), the whole asynchronous flow over
/// HTTP with the real Hangfire job: kick-off, status, manifest, NDJSON files, pseudonyms, research
/// consent, _type and _since, who may fetch, cancel and expiry.
/// </summary>
public sealed class BulkExportTests(ExportGatewayApp gateway) : IClassFixture<ExportGatewayApp>
{
    private static readonly string[] ExportedTypes = ["Patient", "ServiceRequest", "Task", "QuestionnaireResponse", "Consent"];

    [Fact]
    public async System.Threading.Tasks.Task An_export_holds_the_consented_patients_pseudonymised_and_no_one_else()
    {
        var consented = await gateway.ReferAsync(researchUse: true);
        var notConsented = await gateway.ReferAsync(researchUse: false);

        var export = await ExportGatewayApp.ExportAsync(gateway.Evaluator);

        Assert.True(export.Manifest.GetProperty("requiresAccessToken").GetBoolean());
        Assert.EndsWith("/fhir/$export", export.Manifest.GetProperty("request").GetString());
        Assert.Empty(export.Manifest.GetProperty("error").EnumerateArray());
        Assert.True(DateTimeOffset.TryParse(export.Manifest.GetProperty("transactionTime").GetString(), out _));
        Assert.Equal(ExportedTypes.Order(), export.Files.Select(f => f.Type).Distinct().Order());
        foreach (var leaked in consented.Identifying.Concat(notConsented.Identifying).Where(t => export.AllText.Contains(t, StringComparison.Ordinal)))
        {
            Assert.Fail($"The export holds '{leaked}'.");
        }

        Assert.Null(export.RequestOf(notConsented));
        var request = export.RequestOf(consented)!.Value;
        var pseudonym = export.PatientPseudonymOf(consented);
        Assert.Matches("^[0-9a-f]{40}$", pseudonym);
        var patient = Assert.Single(export.All("Patient"), p => p.GetProperty("id").GetString() == pseudonym);
        Assert.Equal("1951", patient.GetProperty("birthDate").GetString());
        Assert.Equal("WS2", patient.GetProperty("address")[0].GetProperty("postalCode").GetString());
        Assert.Equal("female", patient.GetProperty("gender").GetString());
        foreach (var gone in new[] { "identifier", "name", "telecom" })
        {
            Assert.False(patient.TryGetProperty(gone, out _), $"The exported Patient has {gone}.");
        }

        // The referral's Task, measure and Consent come along, pointing at the pseudonyms, never at the ids.
        var requestId = request.GetProperty("id").GetString();
        var task = Assert.Single(export.All("Task"), t => t.GetProperty("focus").GetProperty("reference").GetString() == $"ServiceRequest/{requestId}");
        Assert.Equal($"Patient/{pseudonym}", task.GetProperty("for").GetProperty("reference").GetString());
        Assert.Equal("Organization/" + TestPartners.Housing, task.GetProperty("owner").GetProperty("reference").GetString());
        var measure = Assert.Single(export.All("QuestionnaireResponse"), q => q.GetProperty("subject").GetProperty("reference").GetString() == $"Patient/{pseudonym}");
        Assert.Equal($"ServiceRequest/{requestId}", measure.GetProperty("basedOn")[0].GetProperty("reference").GetString());
        Assert.Equal(4, measure.GetProperty("item").GetArrayLength());
        Assert.Single(export.All("Consent"), c => c.GetProperty("patient").GetProperty("reference").GetString() == $"Patient/{pseudonym}");
        Assert.DoesNotContain(export.All("Consent"), c => c.GetProperty("patient").GetProperty("reference").GetString()!.Contains(notConsented.Patient.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async System.Threading.Tasks.Task Each_evaluator_has_its_own_pseudonym_for_a_patient_and_keeps_it()
    {
        var referred = await gateway.ReferAsync(researchUse: true);

        var first = (await ExportGatewayApp.ExportAsync(gateway.Evaluator, "$export?_type=ServiceRequest")).PatientPseudonymOf(referred);
        var again = (await ExportGatewayApp.ExportAsync(gateway.Evaluator, "$export?_type=ServiceRequest")).PatientPseudonymOf(referred);
        var other = (await ExportGatewayApp.ExportAsync(gateway.OtherEvaluator, "$export?_type=ServiceRequest")).PatientPseudonymOf(referred);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.NotEqual(referred.Patient.Id, first);
    }

    [Fact]
    public async System.Threading.Tasks.Task Type_and_since_narrow_the_export()
    {
        var referred = await gateway.ReferAsync(researchUse: true);

        var typed = await ExportGatewayApp.ExportAsync(gateway.Evaluator, "$export?_type=Patient,ServiceRequest&_outputFormat=application/fhir%2Bndjson");
        Assert.Equal(["Patient", "ServiceRequest"], typed.Files.Select(f => f.Type).Distinct().Order());
        Assert.NotNull(typed.RequestOf(referred));

        // A second measure, written after the first export's transactionTime: an export since then holds it alone.
        gateway.Clock.Advance(TimeSpan.FromSeconds(1));
        var later = await gateway.Gp.CreateAsync(Resources.Ons4(referred.Request.Id, referred.Patient.Id, "2026-11-20"));
        var since = Uri.EscapeDataString(typed.Manifest.GetProperty("transactionTime").GetString()!);
        var changed = await ExportGatewayApp.ExportAsync(gateway.Evaluator, $"$export?_type=QuestionnaireResponse,Patient&_since={since}");

        var measure = Assert.Single(changed.All("QuestionnaireResponse"));
        Assert.Equal("2026-11-20", measure.GetProperty("authored").GetString());
        Assert.Empty(changed.All("Patient"));
        Assert.DoesNotContain(later.Id, changed.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_group_export_holds_the_patients_that_partner_referred()
    {
        var ours = await gateway.ReferAsync(researchUse: true, gateway.OtherGp, TestPartners.OtherGp);
        var theirs = await gateway.ReferAsync(researchUse: true);

        var export = await ExportGatewayApp.ExportAsync(gateway.Evaluator, $"Group/{TestPartners.OtherGp}/$export");

        Assert.NotNull(export.RequestOf(ours));
        Assert.Null(export.RequestOf(theirs));
        Assert.DoesNotContain(export.All("Patient"), p => p.GetProperty("id").GetString() == (export.RequestOf(theirs)?.GetProperty("id").GetString() ?? "none"));
        Assert.All(export.All("ServiceRequest"), r => Assert.Equal($"Organization/{TestPartners.OtherGp}", r.GetProperty("requester").GetProperty("reference").GetString()));
    }

    [Fact]
    public async System.Threading.Tasks.Task Only_the_client_that_asked_may_poll_download_or_cancel()
    {
        await gateway.ReferAsync(researchUse: true);
        var export = await ExportGatewayApp.ExportAsync(gateway.Evaluator, "$export?_type=Patient");
        var file = export.Files[0].Url;

        foreach (var (who, client) in new[] { ("the other evaluator", gateway.OtherEvaluator), ("a GP practice", gateway.Gp) })
        {
            using var status = await client.GetAsync(export.Status);
            using var download = await client.GetAsync(file);
            using var cancel = await client.DeleteAsync(export.Status);
            var expected = client == gateway.Gp ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound;
            Assert.True(status.StatusCode == expected && download.StatusCode == expected && cancel.StatusCode == expected,
                $"{who}: status {(int)status.StatusCode}, file {(int)download.StatusCode}, cancel {(int)cancel.StatusCode}");
            Assert.Equal("OperationOutcome", (await download.ReadOutcomeAsync()).TypeName);
        }

        using var anonymous = new HttpClient();
        using var noToken = await anonymous.GetAsync(file);
        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        using var stillThere = await gateway.Evaluator.GetAsync(file);
        Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_cancelled_export_is_gone()
    {
        using var accepted = await ExportGatewayApp.KickOffAsync(gateway.Evaluator, "$export");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var status = accepted.Content.Headers.ContentLocation!;

        using var cancelled = await gateway.Evaluator.DeleteAsync(status);
        Assert.Equal(HttpStatusCode.Accepted, cancelled.StatusCode);

        using var after = await gateway.Evaluator.GetAsync(status);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        using var again = await gateway.Evaluator.DeleteAsync(status);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task Expired_exports_are_refused_and_the_cleanup_job_deletes_their_files()
    {
        await gateway.ReferAsync(researchUse: true);
        var export = await ExportGatewayApp.ExportAsync(gateway.Evaluator, "$export?_type=Patient,Consent");
        var exportId = Guid.Parse(export.Status.Segments[^1]);
        Assert.True(await ChunksOfAsync(exportId) > 0);

        gateway.Clock.Advance(ExportGatewayApp.FileLifetime + TimeSpan.FromMinutes(1));
        using var status = await gateway.Evaluator.GetAsync(export.Status);
        using var file = await gateway.Evaluator.GetAsync(export.Files[0].Url);
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, file.StatusCode);

        var deleted = await gateway.Services.GetRequiredService<ExportCleanupJob>().RunAsync(CancellationToken.None);

        Assert.True(deleted >= 1);
        Assert.Equal(0, await ChunksOfAsync(exportId));
        Assert.NotNull(gateway.RecurringJob(ExportCleanupJob.Id));
    }

    [Fact]
    public async System.Threading.Tasks.Task An_export_whose_job_was_lost_fails_after_a_file_lifetime_then_expires()
    {
        // A kick-off whose Hangfire job never runs: the row alone, as a lost job leaves it.
        var exports = gateway.Services.GetRequiredService<Gateway.Fhir.Export.ExportJobs>();
        var lost = await exports.CreateAsync(TestPartners.Evaluator + "-client", TestPartners.Evaluator, "https://gateway.test/fhir/$export", null, ["Patient"], null, CancellationToken.None);
        var status = new Uri($"_operations/export/{lost.Id}", UriKind.Relative);
        using (var waiting = await gateway.Evaluator.GetAsync(status))
        {
            Assert.Equal(HttpStatusCode.Accepted, waiting.StatusCode);
        }

        gateway.Clock.Advance(ExportGatewayApp.FileLifetime + TimeSpan.FromMinutes(1));
        await gateway.Services.GetRequiredService<ExportCleanupJob>().RunAsync(CancellationToken.None);
        // A failed export's status is a 5xx with an OperationOutcome (Bulk Data IG), which the
        // fixture's clients refuse: this one asks with the same token and takes the answer as it is.
        using var plain = new HttpClient { BaseAddress = gateway.Evaluator.BaseAddress };
        plain.DefaultRequestHeaders.Authorization = gateway.Evaluator.DefaultRequestHeaders.Authorization;
        using (var failed = await plain.GetAsync(status))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
            Assert.Contains("did not finish within", (await failed.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
        }

        gateway.Clock.Advance(ExportGatewayApp.FileLifetime + TimeSpan.FromMinutes(1));
        await gateway.Services.GetRequiredService<ExportCleanupJob>().RunAsync(CancellationToken.None);
        using var gone = await gateway.Evaluator.GetAsync(status);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Theory]
    [InlineData("$export", false, "application/fhir+json", 400, "Prefer: respond-async")]
    [InlineData("$export?_typeFilter=Patient%3Fgender%3Dfemale", true, "application/fhir+json", 400, "_typeFilter is not supported")]
    [InlineData("$export?patient=Patient/1", true, "application/fhir+json", 400, "patient is not supported")]
    [InlineData("$export?_count=10", true, "application/fhir+json", 400, "_count is not a parameter of $export")]
    [InlineData("$export?_type=Observation", true, "application/fhir+json", 400, "_type 'Observation' is not exported")]
    [InlineData("$export?_outputFormat=text/csv", true, "application/fhir+json", 400, "_outputFormat 'text/csv' is not supported")]
    [InlineData("$export?_since=yesterday", true, "application/fhir+json", 400, "_since 'yesterday' is not one FHIR instant")]
    [InlineData("$export", true, "application/fhir+xml", 406, "application/fhir+json only")]
    [InlineData("Group/nobody/$export", true, "application/fhir+json", 404, "Group/nobody is not known")]
    [InlineData("Group/test-ops/$export", true, "application/fhir+json", 404, "Group/test-ops is not known")]
    public async System.Threading.Tasks.Task A_kick_off_the_server_cannot_honour_is_refused_with_an_OperationOutcome(string url, bool async, string accept, int status, string says)
    {
        using var response = await ExportGatewayApp.KickOffAsync(gateway.Evaluator, url, accept, async);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Null(response.Content.Headers.ContentLocation);
        Assert.Contains(says, (await response.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task Only_evaluators_export_and_only_the_types_their_token_may_read()
    {
        using var gp = await ExportGatewayApp.KickOffAsync(gateway.Gp, "$export");
        Assert.Equal(HttpStatusCode.Forbidden, gp.StatusCode);
        Assert.Contains("for evaluator clients", (await gp.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);

        var narrow = gateway.PatientsOnlyEvaluator;
        using var refused = await ExportGatewayApp.KickOffAsync(narrow, "$export?_type=Patient,Task");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("system/Task.r", (await refused.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);

        await gateway.ReferAsync(researchUse: true);
        var export = await ExportGatewayApp.ExportAsync(narrow);
        Assert.Equal(["Patient"], export.Files.Select(f => f.Type).Distinct());
    }

    [Fact]
    public async System.Threading.Tasks.Task An_evaluator_reads_nothing_person_level_and_writes_nothing()
    {
        var referred = await gateway.ReferAsync(researchUse: true);

        foreach (var reference in new[] { $"Patient/{referred.Patient.Id}", $"ServiceRequest/{referred.Request.Id}", $"Task/{referred.Task.Id}", $"QuestionnaireResponse/{referred.Measure.Id}" })
        {
            using var read = await gateway.Evaluator.GetAsync(reference);
            Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        }

        var patients = await gateway.Evaluator.SearchAsync($"Patient?_id={referred.Patient.Id}");
        Assert.Empty(patients.Entry);
        using var written = await gateway.Evaluator.PostAsync("Patient", Resources.Patient());
        Assert.Equal(HttpStatusCode.Forbidden, written.StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_CapabilityStatement_lists_export_at_system_and_Group_level()
    {
        var statement = await (await gateway.Client.GetAsync("metadata")).ReadResourceAsync<CapabilityStatement>();

        Assert.Contains("http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data", statement.Instantiates);
        var rest = statement.Rest[0];
        Assert.Contains(rest.Operation, o => o.Name == "export" && o.Definition == "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export");
        var group = Assert.Single(rest.Resource, r => r.Type == "Group");
        Assert.Contains(group.Operation, o => o.Name == "export" && o.Definition == "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export");
        Assert.DoesNotContain(rest.Resource.Where(r => r.Type == "Patient").SelectMany(r => r.Operation), o => o.Name == "export");
    }

    private async Task<long> ChunksOfAsync(Guid exportId)
    {
        await using var command = gateway.Database.CreateCommand("select count(*) from export_file_chunk where export_id = $1");
        command.Parameters.Add(new() { Value = exportId });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
