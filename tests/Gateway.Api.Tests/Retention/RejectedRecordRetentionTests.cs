using System.Net;
using Gateway.Api.Tests.Records;
using Gateway.Jobs.Retention;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Api.Tests.Retention;

/// <summary>Rejected partner records kept for an hour, so the test clock moves hours.</summary>
public sealed class RejectedRecordRetentionGatewayApp : ClockedJobsGatewayApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [.. base.Settings(), new("Gateway:Jobs:RetainRejectedRecords", "PT1H")];
}

/// <summary>Issue 17 item 11: a rejected record is kept to be fixed and replayed, but not for ever.</summary>
public sealed class RejectedRecordRetentionTests(RejectedRecordRetentionGatewayApp gateway) : IClassFixture<RejectedRecordRetentionGatewayApp>
{
    [Fact]
    public async Task Rejected_records_older_than_the_period_are_deleted_and_younger_ones_stay()
    {
        var old = await RejectAsync("old-" + Guid.NewGuid().ToString("N"));
        gateway.Clock.Advance(TimeSpan.FromMinutes(90));
        var recent = await RejectAsync("recent-" + Guid.NewGuid().ToString("N"));

        var result = await gateway.Services.GetRequiredService<RetentionJob>().RunAsync(CancellationToken.None);

        Assert.Equal(1, result.DeletedRejectedRecords);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.Housing.GetAsync($"../records/{old}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Housing.GetAsync($"../records/{recent}")).StatusCode);
    }

    private async Task<string> RejectAsync(string messageId)
    {
        using var response = await gateway.Housing.PostRecordAsync(
            RecordHttp.HousingCase("01-engaged-with-ons4.json", "SP-UNKNOWN-" + messageId, Resources.NewNhsNumber(), messageId));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        return response.Headers.Location!.ToString().Split('/')[^1];
    }
}
