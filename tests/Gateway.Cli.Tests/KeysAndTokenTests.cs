using System.Net.Sockets;
using System.Text.Json;

namespace Gateway.Cli.Tests;

/// <summary>`keys new` makes keys a real gateway accepts once they are in its partners file; `token` says why when it cannot get one.</summary>
public sealed class KeysAndTokenTests(SandboxGateway gateway) : IClassFixture<SandboxGateway>
{
    [Theory]
    [InlineData(SandboxGateway.DutchGpClient, "ES384")]
    [InlineData(SandboxGateway.DutchGpRsaClient, "RS384")]
    public async Task A_key_made_by_keys_new_and_put_in_the_partners_file_gets_a_token(string client, string alg)
    {
        var token = await gateway.RunAsync("token", "--client", client, "--scope", "system/Patient.rs");

        Assert.True(token.ExitCode == 0, token.ToString());
        Assert.Equal(3, token.Output.Trim().Split('.').Length);
        using var keys = JsonDocument.Parse(File.ReadAllText(gateway.KeysFile));
        Assert.Equal(alg, keys.RootElement.GetProperty(client).GetProperty("keys")[0].GetProperty("alg").GetString());
        // keys new added to the demo keys file; the demo clients' keys are still there.
        Assert.True(keys.RootElement.TryGetProperty("hillside-emis", out _));
    }

    [Fact]
    public async Task Token_with_assertion_prints_a_client_assertion_the_token_endpoint_trades_for_a_token()
    {
        var assertion = await gateway.RunAsync("token", "--client", "hillside-emis", "--assertion");

        Assert.True(assertion.ExitCode == 0, assertion.ToString());
        var tokenEndpoint = gateway.Url.TrimEnd('/') + "/auth/token";
        using var http = new HttpClient();
        using var answer = await http.PostAsync(tokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = assertion.Output.Trim(),
            ["scope"] = "system/Task.rs",
        }));
        var body = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.IsSuccessStatusCode, body);
        Assert.Contains("\"access_token\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_new_prints_only_the_public_key()
    {
        var output = Path.Combine(gateway.Folder, "new.private.json");
        var made = await gateway.RunAsync("keys", "new", "--client", "someone", "--out", output);

        Assert.Equal(0, made.ExitCode);
        using var jwks = JsonDocument.Parse(made.Output);
        var key = jwks.RootElement.GetProperty("keys")[0];
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        Assert.False(key.TryGetProperty("d", out _));
        using var written = JsonDocument.Parse(File.ReadAllText(output));
        Assert.True(written.RootElement.GetProperty("someone").GetProperty("keys")[0].TryGetProperty("d", out _));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(output));
        }
    }

    [Fact]
    public async Task A_client_the_gateway_does_not_know_is_refused_with_the_token_endpoints_reason()
    {
        await gateway.RunAsync("keys", "new", "--client", "stranger", "--out", gateway.KeysFile);
        var token = await gateway.RunAsync("token", "--client", "stranger");

        Assert.Equal(1, token.ExitCode);
        Assert.StartsWith("The token endpoint refused client 'stranger' (", token.Error, StringComparison.Ordinal);
        Assert.Contains("invalid_client", token.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gateway_that_is_not_running_is_named_with_how_to_start_one()
    {
        var url = $"http://127.0.0.1:{ClosedPort()}";
        var token = await gateway.RunAsync("token", "--client", "hillside-emis", "--gateway", url);
        var sent = await gateway.RunAsync("send", RepositoryFiles.Sample("gp/referral-transaction.json"), "--gateway", url);

        foreach (var run in new[] { token, sent })
        {
            Assert.Equal(2, run.ExitCode);
            Assert.Contains($"The gateway at {url}/ is not reachable", run.Error, StringComparison.Ordinal);
            Assert.Contains("Is the gateway running? dotnet run --project src/Gateway.Api", run.Error, StringComparison.Ordinal);
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
