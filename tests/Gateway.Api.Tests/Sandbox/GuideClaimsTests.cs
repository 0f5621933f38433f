using System.Net.Http.Headers;
using Gateway.Testing;

namespace Gateway.Api.Tests.Sandbox;

/// <summary>
/// Issue 21, items 12 and 13: what the guides and docs/reference.md say of the README's seeded
/// sandbox holds there. The wor-export sample's first row is the demo referral the seed already
/// applied; rows 2-5 name referrals the sandbox was never sent, so the CLI example exits 1 by design.
/// </summary>
public sealed class GuideClaimsTests(SandboxGatewayApp sandbox) : IClassFixture<SandboxGatewayApp>
{
    [Fact]
    public async Task In_the_seeded_sandbox_the_wor_export_samples_first_row_is_the_demo_referral_and_rows_2_to_5_are_unknown()
    {
        using var welfare = await sandbox.DemoClientAsync(SandboxGatewayApp.WelfareClient, "gateway/records.write");
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(Repository.File("../shared/samples/wor-export/2026-10-31-wor-kampen.csv")));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");

        using var response = await welfare.PostAsync(new Uri(sandbox.Root, "records/batch?format=wor-export/v1"), content);
        var report = await response.Content.ReadAsStringAsync();

        Assert.Contains("\"row\":1,\"outcome\":\"unchanged\"", report, StringComparison.Ordinal);
        foreach (var row in new[] { 2, 3, 4, 5 })
        {
            Assert.Contains($"\"code\":\"unknown-referral\",\"location\":\"row {row}, column verwijzing_id\"", report, StringComparison.Ordinal);
        }

        Assert.Contains("\"rejected\":5", report, StringComparison.Ordinal);
    }
}
