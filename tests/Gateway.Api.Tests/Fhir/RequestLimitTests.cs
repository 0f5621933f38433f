using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Fhir;

/// <summary>A gateway configured with a small body limit, so the test sends little to exceed it.</summary>
public sealed class SmallBodyLimitGateway : GatewayApp
{
    public const int Limit = 64 * 1024;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [new("Gateway:Fhir:MaxRequestBodyBytes", Limit.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}

public sealed class RequestLimitTests(SmallBodyLimitGateway gateway) : IClassFixture<SmallBodyLimitGateway>
{
    [Fact]
    public async Task A_body_over_the_configured_limit_is_413_and_stores_nothing()
    {
        var div = "<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">" + new string('x', 2 * SmallBodyLimitGateway.Limit) + "</div>";
        var body = "{\"resourceType\":\"Patient\",\"text\":{\"status\":\"generated\",\"div\":\"" + div + "\"}}";
        var before = await ResourceCount();

        using var response = await gateway.Client.SendAsync(HttpMethod.Post, "Patient", FhirHttp.Content(body, FhirHttp.Json));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(OperationOutcome.IssueType.TooLong, (await response.ReadOutcomeAsync()).Issue[0].Code);
        Assert.Equal(before, await ResourceCount());
    }

    [Fact]
    public async Task A_body_under_the_limit_is_accepted()
    {
        using var response = await gateway.Client.PostAsync("Patient", Resources.Patient());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task<long> ResourceCount()
    {
        await using var count = gateway.Database.CreateCommand("select count(*) from resource where resource_type <> 'AuditEvent'");
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
