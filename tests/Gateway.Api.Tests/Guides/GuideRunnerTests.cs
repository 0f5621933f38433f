using Gateway.Testing;

namespace Gateway.Api.Tests.Guides;

/// <summary>The guide runner itself: a broken example fails, naming the guide's file and the example's line.</summary>
public sealed class GuideRunnerTests(SandboxGatewayApp gateway) : IClassFixture<SandboxGatewayApp>
{
    private const string Broken = """
        # A guide

        ```http
        GET /fhir/metadata
        ```

        ```http-response
        HTTP/1.1 200 OK

        "resourceType":"CapabilityStatement"
        ```

        A stale example:

        ```http
        GET /fhir/Patient/nobody
        Authorization: Bearer {{gp-token}}
        ```

        ```http-response
        HTTP/1.1 200 OK
        ```
        """;

    [Fact]
    public async Task A_stale_example_fails_with_the_guide_file_and_line()
    {
        var failure = await Assert.ThrowsAsync<GuideExampleFailedException>(() => new GuideRunner(gateway).RunAsync("docs/broken.md", Broken));

        Assert.StartsWith("docs/broken.md:16 (GET /fhir/Patient/nobody): expected status 200, got 404", failure.Message);
    }

    [Fact]
    public async Task A_missing_fragment_fails_with_the_guide_file_and_line()
    {
        var failure = await Assert.ThrowsAsync<GuideExampleFailedException>(() => new GuideRunner(gateway).RunAsync("docs/broken.md",
            Broken.Replace("CapabilityStatement", "SomethingElse", StringComparison.Ordinal)));

        Assert.StartsWith("docs/broken.md:4 (GET /fhir/metadata): the answer does not contain \"resourceType\":\"SomethingElse\"", failure.Message);
    }
}
