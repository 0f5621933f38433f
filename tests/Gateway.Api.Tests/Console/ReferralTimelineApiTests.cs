using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Api.Tests.Records;
using Gateway.Api.Tests.Workflow;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Console;

/// <summary>Issue 10: <c>GET /console/api/referrals/{taskId}/timeline</c>, a referral's story for operators, behind the operator credential.</summary>
public sealed class ReferralTimelineApiTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    [Fact]
    public async Task The_timeline_shows_the_task_versions_the_records_and_the_provenance_in_order()
    {
        var (referral, referralId, nhs, housing) = await ReferralAsync();
        using (var mismatch = await housing.PostRecordAsync(RecordHttp.HousingCase("01-engaged-with-ons4.json", referralId, Resources.NewNhsNumber())))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, mismatch.StatusCode);
        }

        string appliedId;
        using (var applied = await housing.PostRecordAsync(RecordHttp.HousingCase("01-engaged-with-ons4.json", referralId, nhs)))
        {
            appliedId = (await applied.JsonAsync()).GetProperty("recordId").GetString()!;
        }

        var task = await gateway.Client.ReferralTaskAsync(referral.RequestId);
        using var operatorClient = Operator(TestPartners.OperatorPassword);

        using var response = await operatorClient.GetAsync($"console/api/referrals/{task.Id}/timeline");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var timeline = await response.JsonAsync();
        Assert.Equal($"Task/{task.Id}", timeline.GetProperty("task").GetString());
        Assert.Equal($"ServiceRequest/{referral.RequestId}", timeline.GetProperty("serviceRequest").GetString());
        var events = timeline.GetProperty("events").EnumerateArray().ToList();
        var times = events.Select(e => e.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.Equal(times.Order(), times);

        var versions = events.Where(e => Kind(e) == "task-version").ToList();
        Assert.Equal(int.Parse(task.Meta.VersionId, System.Globalization.CultureInfo.InvariantCulture), versions.Count);
        Assert.Equal("requested", versions[0].GetProperty("detail").GetProperty("status").GetString());
        Assert.Contains("referral-workflow", versions[0].GetProperty("actor").GetString(), StringComparison.Ordinal);
        var last = versions[^1];
        Assert.Equal("in-progress", last.GetProperty("detail").GetProperty("status").GetString());
        Assert.StartsWith($"{TestPartners.Housing} (client {TestPartners.Housing}-client) via gateway (partner-records)", last.GetProperty("actor").GetString(), StringComparison.Ordinal);

        var records = events.Where(e => Kind(e) == "record").ToList();
        Assert.Equal(2, records.Count);
        var rejected = records[0].GetProperty("detail");
        Assert.Equal("rejected", rejected.GetProperty("state").GetString());
        Assert.Contains(rejected.GetProperty("issues").EnumerateArray(), i => i.GetProperty("location").GetString() == "$.tenant.nhsNumber" && i.GetProperty("code").GetString() == "patient-mismatch");
        Assert.Equal(appliedId, records[1].GetProperty("detail").GetProperty("recordId").GetString());
        Assert.Equal("applied", records[1].GetProperty("detail").GetProperty("state").GetString());

        Assert.Contains(events, e => Kind(e) == "provenance" && e.GetProperty("summary").GetString()!.StartsWith("Applied housing-case/v1 record", StringComparison.Ordinal)
            && e.GetProperty("detail").GetProperty("targets").EnumerateArray().Any(t => t.GetString() == $"Task/{task.Id}/_history/{task.Meta.VersionId}"));
        Assert.True(events.FindIndex(e => Kind(e) == "record" && e.GetProperty("detail").GetProperty("recordId").GetString() == appliedId) < events.IndexOf(last),
            "The record that moved the Task comes before the version it wrote.");
    }

    [Fact]
    public async Task The_gps_referral_identifier_finds_the_same_referral()
    {
        var (referral, referralId, _, _) = await ReferralAsync();
        using var operatorClient = Operator(TestPartners.OperatorPassword);

        using var response = await operatorClient.GetAsync($"console/api/referrals/{referralId}/timeline");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var task = await gateway.Client.ReferralTaskAsync(referral.RequestId);
        Assert.Equal($"Task/{task.Id}", (await response.JsonAsync()).GetProperty("task").GetString());
    }

    [Fact]
    public async Task An_unknown_referral_is_404()
    {
        using var operatorClient = Operator(TestPartners.OperatorPassword);

        using var response = await operatorClient.GetAsync("console/api/referrals/no-such-task/timeline");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Without_the_operator_credential_the_timeline_is_refused()
    {
        var (referral, _, _, _) = await ReferralAsync();
        var task = await gateway.Client.ReferralTaskAsync(referral.RequestId);
        using var anonymous = new HttpClient { BaseAddress = gateway.Root };
        using var wrong = Operator("wrong password");
        using var partner = await gateway.CreateClientAsync(TestPartners.Operator);

        using var noCredential = await anonymous.GetAsync($"console/api/referrals/{task.Id}/timeline");
        using var wrongPassword = await wrong.GetAsync($"console/api/referrals/{task.Id}/timeline");
        using var bearer = await partner.GetAsync($"../console/api/referrals/{task.Id}/timeline");

        Assert.Equal(HttpStatusCode.Unauthorized, noCredential.StatusCode);
        Assert.Equal("Basic", noCredential.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, bearer.StatusCode);
        Assert.DoesNotContain(task.Id, await wrongPassword.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<(SentReferral Referral, string ReferralId, string Nhs, HttpClient Housing)> ReferralAsync()
    {
        var referral = await Referrals.SendUkSampleAsync(gateway.Client);
        var request = await (await gateway.Client.GetAsync($"ServiceRequest/{referral.RequestId}")).ReadResourceAsync<ServiceRequest>();
        var patient = await (await gateway.Client.GetAsync($"Patient/{referral.PatientId}")).ReadResourceAsync<Patient>();
        return (referral, request.Identifier.Single().Value, patient.Identifier.Single().Value, await gateway.CreateClientAsync(TestPartners.Housing));
    }

    private HttpClient Operator(string password)
    {
        var client = new HttpClient { BaseAddress = gateway.Root };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestPartners.OperatorUser}:{password}")));
        return client;
    }

    private static string? Kind(JsonElement e) => e.GetProperty("kind").GetString();
}
