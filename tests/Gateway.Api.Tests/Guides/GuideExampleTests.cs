using Gateway.Testing;

namespace Gateway.Api.Tests.Guides;

/// <summary>Every ```http example of the GP vendors' guide answers as written, in order, against the sandbox.</summary>
public sealed class GpVendorGuideTests(SandboxGatewayApp gateway) : IClassFixture<SandboxGatewayApp>
{
    [Fact]
    public Task Every_example_in_the_gp_vendors_guide_answers_as_written() => new GuideRunner(gateway).RunAsync("docs/guide-gp-vendors.md");
}

/// <summary>Every ```http example of the providers' guide answers as written, in order, against the sandbox.</summary>
public sealed class ProviderGuideTests(SandboxGatewayApp gateway) : IClassFixture<SandboxGatewayApp>
{
    [Fact]
    public Task Every_example_in_the_providers_guide_answers_as_written() => new GuideRunner(gateway).RunAsync("docs/guide-providers.md");
}

/// <summary>Every ```http example of the operators' guide answers as written, in order, against the sandbox.</summary>
public sealed class OperatorGuideTests(SandboxGatewayApp gateway) : IClassFixture<SandboxGatewayApp>
{
    [Fact]
    public Task Every_example_in_the_operators_guide_answers_as_written() => new GuideRunner(gateway).RunAsync("docs/guide-operators.md");
}
