using Gateway.Testing;

namespace Gateway.Api.Tests.Guides;

/// <summary>Every ```bash step of the GP vendors' guide prints what the guide says, in order, against an empty sandbox.</summary>
public sealed class GpVendorGuideTests(SandboxGatewayApp gateway) : IClassFixture<SandboxGatewayApp>
{
    [Fact]
    public Task Every_example_in_the_gp_vendors_guide_answers_as_written() => GuideSessions.Sandbox(gateway).RunAsync("docs/guide-gp-vendors.md");
}

/// <summary>Every ```bash step of the providers' guide prints what the guide says, in order, against an empty sandbox.</summary>
public sealed class ProviderGuideTests(SandboxGatewayApp gateway) : IClassFixture<SandboxGatewayApp>
{
    [Fact]
    public Task Every_example_in_the_providers_guide_answers_as_written() => GuideSessions.Sandbox(gateway).RunAsync("docs/guide-providers.md");
}

/// <summary>Every ```bash step of the operators' guide prints what the guide says, in order, against an empty sandbox.</summary>
public sealed class OperatorGuideTests(SandboxGatewayApp gateway) : IClassFixture<SandboxGatewayApp>
{
    [Fact]
    public Task Every_example_in_the_operators_guide_answers_as_written() => GuideSessions.Sandbox(gateway).RunAsync("docs/guide-operators.md");
}
