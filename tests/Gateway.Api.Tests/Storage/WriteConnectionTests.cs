using System.Net;
using Gateway.Fhir.Storage;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Gateway.Api.Tests.Storage;

/// <summary>
/// Writes run on a pool of their own (issue 18): PostgreSQL's own plan choice there, custom plans
/// for searches on theirs, however the two interleave; and the write pool is open before the gateway serves.
/// </summary>
public sealed class WriteConnectionTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    [Fact]
    public async Task Searches_after_writes_still_plan_for_their_values_and_writes_keep_PostgreSQLs_choice()
    {
        for (var i = 0; i < 3; i++)
        {
            var nhsNumber = Resources.NewNhsNumber();
            using var created = await gateway.Client.PostAsync("Patient", Resources.Patient(nhsNumber));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            using var found = await gateway.Client.GetAsync($"Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|{nhsNumber}");
            Assert.Single((await found.ReadResourceAsync<Bundle>()).Entry);
        }

        Assert.Equal("force_custom_plan", await PlanMode(gateway.Services.GetRequiredService<NpgsqlDataSource>()));
        Assert.Equal("auto", await PlanMode(gateway.Services.GetRequiredService<WriteConnections>().DataSource));
    }

    [Fact]
    public async Task The_write_pool_is_open_before_the_gateway_serves()
    {
        await using var command = gateway.Database.CreateCommand(
            "select count(*) from pg_stat_activity where datname = current_database() and application_name = 'gateway writes'");

        Assert.True((long)(await command.ExecuteScalarAsync())! >= WriteConnections.DefaultWarm);
    }

    private static async Task<string> PlanMode(NpgsqlDataSource pool)
    {
        await using var command = pool.CreateCommand("show plan_cache_mode");
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
