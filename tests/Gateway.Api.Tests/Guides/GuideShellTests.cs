using Gateway.Testing;

namespace Gateway.Api.Tests.Guides;

/// <summary>The guides' shell runner itself: a stale example or a failing command fails, naming the guide's file and line.</summary>
public sealed class GuideShellTests(SandboxGatewayApp gateway) : IClassFixture<SandboxGatewayApp>
{
    private const string Guide = """
        # A guide

        ```bash
        curl -sS -i "$GATEWAY_URL/fhir/metadata"
        ```

        ```http-response
        HTTP/1.1 200 OK
        Content-Type: application/fhir+json

        "resourceType":"CapabilityStatement"
        ```

        ```bash
        GP=$(dotnet run --project src/Gateway.Cli -- token --client hillside-emis --scope "system/Patient.rs")
        PATIENT=nobody
        ```

        ```bash
        curl -sS -i "$GATEWAY_URL/fhir/Patient/$PATIENT" -H "Authorization: Bearer $GP"
        ```

        ```http-response
        HTTP/1.1 404 Not Found

        "diagnostics":"Patient/${PATIENT}
        ```
        """;

    [Fact]
    public async Task A_guide_whose_steps_print_what_it_says_passes_with_the_cli_token_and_variables()
    {
        var printed = await GuideSessions.Sandbox(gateway).RunAsync("docs/fine.md", Guide);

        Assert.Contains("HTTP/1.1 404", printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stale_status_fails_with_the_guide_file_and_line()
    {
        var failure = await Assert.ThrowsAsync<GuideExampleFailedException>(() => GuideSessions.Sandbox(gateway).RunAsync("docs/broken.md",
            Guide.Replace("HTTP/1.1 404 Not Found", "HTTP/1.1 200 OK", StringComparison.Ordinal)));

        Assert.StartsWith("docs/broken.md:20: expected status 200, got 404.", failure.Message);
    }

    [Fact]
    public async Task A_missing_fragment_fails_with_the_guide_file_and_line()
    {
        var failure = await Assert.ThrowsAsync<GuideExampleFailedException>(() => GuideSessions.Sandbox(gateway).RunAsync("docs/broken.md",
            Guide.Replace("CapabilityStatement", "SomethingElse", StringComparison.Ordinal)));

        Assert.StartsWith("docs/broken.md:4: the answer does not contain \"resourceType\":\"SomethingElse\"", failure.Message);
    }

    [Fact]
    public async Task A_failing_command_fails_with_its_guide_line_and_the_tools_message()
    {
        var failure = await Assert.ThrowsAsync<GuideExampleFailedException>(() => GuideSessions.Sandbox(gateway).RunAsync("docs/broken.md",
            Guide.Replace("--client hillside-emis", "--client nobody", StringComparison.Ordinal)));

        Assert.StartsWith("docs/broken.md:15: `GP=$(dotnet run --project src/Gateway.Cli -- token --client nobody", failure.Message);
        Assert.Contains("nobody", failure.Message.Split("--- the step printed")[1], StringComparison.Ordinal);
    }
}
