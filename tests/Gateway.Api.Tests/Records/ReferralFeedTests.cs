using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Gateway.Api.Tests.Workflow;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Records;

/// <summary><c>GET /records/referrals</c>: referral/v1 for the partner's own referrals, minimised as SPEC §6 and §8 say.</summary>
public sealed class ReferralFeedTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    [Fact]
    public async System.Threading.Tasks.Task The_housing_provider_reads_its_referral_with_the_patient_it_has_consent_for()
    {
        var referral = await Referrals.SendUkSampleAsync(gateway.Client);
        var task = await gateway.Client.ReferralTaskAsync(referral.RequestId);
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);

        var entry = await FeedEntryAsync(housing, task.Id);

        Assert.Equal("referral/v1", entry.GetProperty("format").GetString());
        Assert.StartsWith("SP-", entry.GetProperty("referralNumber").GetString(), StringComparison.Ordinal);
        Assert.Equal(TestPartners.Gp, entry.GetProperty("from").GetProperty("partner").GetString());
        Assert.Equal("M85001", entry.GetProperty("from").GetProperty("odsCode").GetString());
        Assert.Equal("Okafor", entry.GetProperty("patient").GetProperty("familyName").GetString());
        Assert.Equal("WS2 8LD", entry.GetProperty("patient").GetProperty("address").GetProperty("postcode").GetString());
        Assert.StartsWith("Lonely", entry.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(task.Restriction.Period.End[..10], entry.GetProperty("respondBy").GetString());
        Assert.Equal(TestPartners.Housing, entry.GetProperty("consent").GetProperty("sharingWith").GetString());
    }

    [Fact]
    public async System.Threading.Tasks.Task Without_consent_the_partner_gets_the_numbers_and_the_due_date_only()
    {
        var referral = await Referrals.SendUkSampleAsync(gateway.Client, withConsent: false);
        var task = await gateway.Client.ReferralTaskAsync(referral.RequestId);
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);

        var entry = await FeedEntryAsync(housing, task.Id);

        Assert.False(entry.TryGetProperty("patient", out _));
        Assert.False(entry.TryGetProperty("reason", out _));
        Assert.False(entry.TryGetProperty("notes", out _));
        Assert.StartsWith("SP-", entry.GetProperty("referralNumber").GetString(), StringComparison.Ordinal);
        Assert.Equal("on-hold", entry.GetProperty("status").GetString());
        Assert.True(entry.TryGetProperty("respondBy", out _));
    }

    [Fact]
    public async System.Threading.Tasks.Task A_welfare_organisation_gets_the_client_number_never_the_bsn()
    {
        var referral = await Referrals.SendDutchAsync(gateway.Client);
        var task = await gateway.Client.ReferralTaskAsync(referral.RequestId);
        var welfare = await gateway.CreateClientAsync(TestPartners.Welfare);

        var entry = await FeedEntryAsync(welfare, task.Id);

        var patient = entry.GetProperty("patient");
        Assert.StartsWith("C", patient.GetProperty("clientNumber").GetString(), StringComparison.Ordinal);
        Assert.False(patient.TryGetProperty("nhsNumber", out _));
        var bsn = (await (await gateway.Client.GetAsync($"Patient/{referral.PatientId}")).ReadResourceAsync<Patient>()).Identifier.Single().Value;
        Assert.DoesNotContain(bsn, entry.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task Another_provider_does_not_see_the_referral_in_its_feed()
    {
        var referral = await Referrals.SendUkSampleAsync(gateway.Client);
        var task = await gateway.Client.ReferralTaskAsync(referral.RequestId);
        var welfare = await gateway.CreateClientAsync(TestPartners.Welfare);

        using var response = await welfare.GetAsync("../records/referrals");

        Assert.DoesNotContain(task.Id, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_since_that_is_not_a_date_is_400()
    {
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);

        using var response = await housing.GetAsync("../records/referrals?since=yesterday");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("ISO 8601", (await response.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task Following_next_reads_every_referral_once_in_the_order_they_changed()
    {
        var since = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O"));
        var sent = new List<SentReferral>();
        foreach (var chunk in Enumerable.Range(0, Gateway.Fhir.Records.OutboundReferrals.PageSize + 5).Chunk(4))
        {
            sent.AddRange(await System.Threading.Tasks.Task.WhenAll(chunk.Select(_ => Referrals.SendUkSampleAsync(gateway.Client))));
        }

        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var read = new List<(string TaskId, string SentAt)>();
        var url = $"../records/referrals?since={since}";
        var pages = 0;
        while (url is not null)
        {
            using var response = await housing.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            var feed = await response.JsonAsync();
            read.AddRange(feed.GetProperty("referrals").EnumerateArray()
                .Select(r => (r.GetProperty("gatewayTaskId").GetString()!, r.GetProperty("sentAt").GetString()!)));
            url = feed.TryGetProperty("next", out var next) && next.ValueKind == System.Text.Json.JsonValueKind.String ? ".." + next.GetString() : null;
            pages++;
        }

        Assert.True(pages >= 2, "more than a page of referrals gives a next link");
        Assert.Equal(read.Count, read.Select(r => r.TaskId).Distinct().Count());
        var tasks = await System.Threading.Tasks.Task.WhenAll(sent.Select(s => gateway.Client.ReferralTaskAsync(s.RequestId)));
        Assert.All(tasks, task => Assert.Contains(task.Id, read.Select(r => r.TaskId)));
        Assert.Equal(read.Select(r => DateTimeOffset.Parse(r.SentAt, System.Globalization.CultureInfo.InvariantCulture)).Order(), read.Select(r => DateTimeOffset.Parse(r.SentAt, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async System.Threading.Tasks.Task The_feed_index_follows_every_change_of_a_task_and_its_owner()
    {
        var sent = new List<SentReferral>();
        foreach (var _ in Enumerable.Range(0, 3))
        {
            sent.Add(await Referrals.SendUkSampleAsync(gateway.Client));
        }

        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        await Referrals.MoveAsync(housing, await gateway.Client.ReferralTaskAsync(sent[0].RequestId), Hl7.Fhir.Model.Task.TaskStatus.Accepted);
        using (var cancel = await gateway.Client.PatchAsync($"ServiceRequest/{sent[1].RequestId}",
            new StringContent("""[{"op":"replace","path":"/status","value":"revoked"}]""", System.Text.Encoding.UTF8, "application/json-patch+json")))
        {
            Assert.True(cancel.IsSuccessStatusCode, await cancel.Content.ReadAsStringAsync());
        }

        var (mismatched, rows) = await TaskFeedIndex.CompareAsync(gateway.Services.GetRequiredService<Npgsql.NpgsqlDataSource>());
        Assert.Equal(0L, mismatched);
        Assert.True(rows >= 3);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_cursor_the_server_did_not_give_is_400()
    {
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);

        using var response = await housing.GetAsync("../records/referrals?cursor=page-two");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("next link", (await response.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    private static async System.Threading.Tasks.Task<System.Text.Json.JsonElement> FeedEntryAsync(HttpClient client, string taskId)
    {
        var since = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O"));
        using var response = await client.GetAsync($"../records/referrals?since={since}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var feed = await response.JsonAsync();
        return feed.GetProperty("referrals").EnumerateArray().Single(r => r.GetProperty("gatewayTaskId").GetString() == taskId);
    }
}
