using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Api.Hosting;
using Gateway.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Cli.Tests;

/// <summary>
/// Issue 21, items 1 and 2: the start-up banner's commands work pasted at the repository root on
/// whatever port the sandbox got; the tool finds the sandbox without --gateway (GATEWAY_URL, or
/// the file the sandbox writes in its data folder); the sandbox's operator has a development
/// password the banner prints, which lets the operator into /jobs and the console.
/// </summary>
public sealed class SandboxDiscoveryTests(DevelopmentSandbox sandbox) : IClassFixture<DevelopmentSandbox>
{
    [Fact]
    public async Task The_banners_token_command_works_pasted()
    {
        var run = await sandbox.PasteAsync(BannerCommand("token"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(3, run.Output.Trim().Split('.').Length);
    }

    [Fact]
    public async Task The_banners_trace_command_works_pasted_with_the_development_password_from_the_sandbox_file()
    {
        var run = await sandbox.PasteAsync(BannerCommand("trace"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("task-version", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_gateway_the_tool_finds_the_sandbox_by_the_file_in_its_data_folder()
    {
        var run = await sandbox.PasteAsync("dotnet run --project src/Gateway.Cli -- token --client hillside-emis --scope system/Task.rs");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var file = JsonDocument.Parse(await File.ReadAllTextAsync(sandbox.SandboxFile));
        Assert.Equal(sandbox.Url + "/", file.RootElement.GetProperty("url").GetString());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(sandbox.SandboxFile));
        }
    }

    [Fact]
    public async Task Gateway_url_in_the_environment_says_where_the_gateway_is_from_any_folder()
    {
        var elsewhere = Directory.CreateTempSubdirectory("gateway-elsewhere-").FullName;
        try
        {
            var keys = Path.Combine(sandbox.ContentRoot, "Demo", "demo-client-keys.private.json");
            var found = await sandbox.PasteAsync($"dotnet run --project src/Gateway.Cli -- token --client hillside-emis --keys {keys} --scope system/Task.rs",
                elsewhere, new Dictionary<string, string> { ["GATEWAY_URL"] = sandbox.Url + "/fhir" });
            var lost = await sandbox.PasteAsync($"dotnet run --project src/Gateway.Cli -- token --client hillside-emis --keys {keys}", elsewhere,
                new Dictionary<string, string> { ["GATEWAY_URL"] = "http://127.0.0.1:9" });

            Assert.True(found.ExitCode == 0, found.ToString());
            Assert.Equal(2, lost.ExitCode);
            Assert.Contains("the URL is from GATEWAY_URL", lost.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    [Fact]
    public async Task The_development_password_the_banner_prints_lets_the_operator_into_the_jobs_dashboard_and_the_console()
    {
        var line = sandbox.Banner.Split('\n').Single(l => l.Contains("Operator login", StringComparison.Ordinal));
        var password = line.Split("password ")[1].Split(' ')[0];
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:" + password)));

        using var jobs = await client.GetAsync(sandbox.Url + "/jobs");
        using var timeline = await client.GetAsync(sandbox.Url + "/console/api/referrals/SP-DEMO-0001/timeline");

        Assert.Equal(HttpStatusCode.OK, jobs.StatusCode);
        Assert.Equal(HttpStatusCode.OK, timeline.StatusCode);
    }

    private string BannerCommand(string command)
    {
        var lines = sandbox.Banner.Split('\n').Select(l => l.Trim()).ToList();
        return lines.Single(l => l.StartsWith($"dotnet run --project src/Gateway.Cli -- {command} ", StringComparison.Ordinal));
    }
}

/// <summary>Issue 21, item 2: outside Development no password is ever made up; the start says operator login is off and how to turn it on.</summary>
public sealed class ProductionOperatorLoginTests
{
    [Fact]
    public async Task In_production_without_a_password_nobody_gets_in_and_the_start_says_why()
    {
        var passwordEnv = "GATEWAY_TEST_OPS_" + Guid.NewGuid().ToString("N");
        var folder = Directory.CreateTempSubdirectory("gateway-production-").FullName;
        var partners = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryFiles.DemoPartners))!;
        partners["operators"]![0]!["passwordEnv"] = passwordEnv;
        var partnersFile = Path.Combine(folder, "partners.json");
        await File.WriteAllTextAsync(partnersFile, partners.ToJsonString());
        var logs = new CapturedLogs();
        var connectionString = await PostgresCluster.CreateDatabaseAsync(nameof(ProductionOperatorLoginTests));
        await using var app = GatewayHost.Build(["--urls", "http://127.0.0.1:0", "--environment", "Production", "--contentRoot", folder], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Gateway"] = connectionString,
                ["Gateway:PartnersFile"] = partnersFile,
                [Gateway.Jobs.GatewayRoles.Key] = nameof(Gateway.Jobs.GatewayRole.Api),
            });
            builder.Logging.AddProvider(logs);
        });
        try
        {
            await app.StartAsync();
            var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
            using var client = new HttpClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:")));

            using var jobs = await client.GetAsync(url + "/jobs");

            Assert.Equal(HttpStatusCode.Unauthorized, jobs.StatusCode);
            Assert.Null(Environment.GetEnvironmentVariable(passwordEnv));
            Assert.False(File.Exists(Path.Combine(folder, ".gateway", "sandbox.json")));
            var warning = Assert.Single(logs.Entries, e => e.Message.StartsWith("The operator console and /jobs let nobody in.", StringComparison.Ordinal));
            Assert.Contains($"Operator login is off for ops: {passwordEnv} is not set. Set it and restart", warning.Message, StringComparison.Ordinal);
            await app.StopAsync();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
