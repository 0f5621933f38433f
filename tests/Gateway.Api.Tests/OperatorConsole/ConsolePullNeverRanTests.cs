using Gateway.Api.Tests.PartnerSync;
using Gateway.Testing;

namespace Gateway.Api.Tests.OperatorConsole;

/// <summary>Issue 21, item 9: a scheduled pull that has not run yet reads "never", not year 1.</summary>
public sealed class ConsolePullNeverRanTests(PartnerSyncGateway gateway) : IClassFixture<PartnerSyncGateway>
{
    [Fact]
    public async Task A_pull_that_never_ran_says_never()
    {
        using var client = ConsoleHttp.Client(gateway);
        await ConsoleHttp.LogInAsync(client);

        var html = await client.GetStringAsync("console/partners");

        var start = html.IndexOf($"<tr><td><strong>{TestPartners.Housing}</strong>", StringComparison.Ordinal);
        var row = html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
        Assert.Contains("last run never", row, StringComparison.Ordinal);
        Assert.Contains("cursor moved never", row, StringComparison.Ordinal);
        Assert.DoesNotContain("0001-01-01", row, StringComparison.Ordinal);
    }
}
