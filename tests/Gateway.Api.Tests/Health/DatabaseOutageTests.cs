using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Npgsql;

namespace Gateway.Api.Tests.Health;

/// <summary>A gateway that reaches its PostgreSQL through a <see cref="TcpRelay"/> the test can cut.</summary>
public sealed class DatabaseOutageGatewayApp : GatewayApp, IDisposable
{
    private TcpRelay? _relay;

    public void CutDatabase() => _relay!.Cut();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings()
    {
        var relayed = new NpgsqlConnectionStringBuilder(ConnectionString);
        _relay = new TcpRelay(relayed.Host!, relayed.Port);
        relayed.Port = _relay.Port;
        return [.. base.Settings(), new("ConnectionStrings:Gateway", relayed.ConnectionString)];
    }

    public override async System.Threading.Tasks.Task DisposeAsync()
    {
        await base.DisposeAsync();
        Dispose();
    }

    public void Dispose() => _relay?.Dispose();
}

/// <summary>Issue 17 item 14: PostgreSQL away is 503 with Retry-After and an OperationOutcome, not a 500.</summary>
public sealed class DatabaseOutageTests(DatabaseOutageGatewayApp gateway) : IClassFixture<DatabaseOutageGatewayApp>
{
    [Fact]
    public async System.Threading.Tasks.Task A_request_while_PostgreSQL_is_unreachable_is_503_with_Retry_After_and_an_OperationOutcome()
    {
        // A client that lets the 503 through, with the token got while the database was there.
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };
        client.DefaultRequestHeaders.Authorization = gateway.Client.DefaultRequestHeaders.Authorization;
        gateway.CutDatabase();

        using var response = await client.GetAsync("Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9434765919");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(10), response.Headers.RetryAfter?.Delta);
        var outcome = await response.ReadOutcomeAsync();
        Assert.Equal(OperationOutcome.IssueType.Transient, outcome.Issue.Single().Code);
        Assert.Contains("Retry-After", outcome.Issue.Single().Diagnostics, StringComparison.Ordinal);
    }
}
