using Gateway.Api.Tests.Measures;
using Gateway.Testing;

namespace Gateway.Api.Tests.OperatorConsole;

/// <summary><see cref="MeasuresGateway"/> with <c>Gateway:Measures:OperatorsSeeUnsuppressed</c> set.</summary>
public sealed class UnsuppressedMeasuresGateway : MeasuresGateway
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [.. base.Settings(), new("Gateway:Measures:OperatorsSeeUnsuppressed", "true")];
}

/// <summary>Configured to, operators see the outcomes unsuppressed; a commissioner login never does.</summary>
public sealed class UnsuppressedOutcomesTests(UnsuppressedMeasuresGateway gateway) : IClassFixture<UnsuppressedMeasuresGateway>
{
    [Fact]
    public async Task Operators_see_the_cell_of_three_and_a_commissioner_login_still_sees_less_than_five()
    {
        using var operatorClient = ConsoleHttp.Client(gateway);
        await ConsoleHttp.LogInAsync(operatorClient);
        using var commissioner = ConsoleHttp.Client(gateway);
        await ConsoleHttp.LogInAsync(commissioner, TestPartners.CommissionerPassword, TestPartners.CommissionerUser);

        var unsuppressed = await operatorClient.GetStringAsync("console/outcomes");
        var suppressed = await commissioner.GetStringAsync("console/outcomes");

        Assert.Contains("<tr><th scope=\"row\">declined: no-capacity</th><td>3</td></tr>", unsuppressed, StringComparison.Ordinal);
        Assert.Contains("<strong>Unsuppressed</strong>", unsuppressed, StringComparison.Ordinal);
        Assert.Contains("<tr><th scope=\"row\">declined: no-capacity</th><td>&lt;5</td></tr>", suppressed, StringComparison.Ordinal);
        Assert.DoesNotContain("Unsuppressed", suppressed, StringComparison.Ordinal);
    }
}
