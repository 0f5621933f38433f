using System.Text.Json;
using Gateway.Api.Demo;
using Gateway.Api.Hosting;
using Gateway.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Api.Tests.Sandbox;

/// <summary>
/// The gateway as <c>dotnet run</c> starts it in Development: the demo partners file, demo data
/// seeded, and clients signing with the demo private keys, as the README's token command does.
/// </summary>
public sealed class SandboxGatewayApp : GatewayApp
{
    public const string GpClient = "hillside-emis";
    public const string WelfareClient = "wor-kampen";

    private static readonly string DemoFolder = Path.Combine(RepositoryRoot(), "src", "Gateway.Api", "Demo");

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Gateway:PartnersFile", Path.Combine(DemoFolder, "partners.json")),
        new(DemoSeed.SettingKey, "true"),
    ];

    protected override Task<HttpClient> CreateDefaultClientAsync() => DemoClientAsync(GpClient, "system/ServiceRequest.rs system/Task.rs system/QuestionnaireResponse.rs system/Patient.rs");

    /// <summary>A client of the demo partners file, its token got with the demo private key.</summary>
    public async Task<HttpClient> DemoClientAsync(string clientId, string scope)
    {
        using var anonymous = new HttpClient();
        using var response = await anonymous.PostAsync(TokenEndpoint, TestPartners.TokenRequest(Assertion(clientId), scope));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"The token request for {clientId} answered {(int)response.StatusCode}: {body}");
        var client = new HttpClient(new NoServerErrorsHandler()) { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString());
        return client;
    }

    /// <summary>Starts (and stops) a second gateway on this one's database with the same settings, as a restart of the sandbox does.</summary>
    public async Task StartAgainAsync()
    {
        var again = GatewayHost.Build(["--urls", "http://127.0.0.1:0", "--environment", "Testing"], builder => builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?>
            {
                ["ConnectionStrings:Gateway"] = ConnectionString,
                [Gateway.Jobs.GatewayRoles.Key] = nameof(Gateway.Jobs.GatewayRole.Api),
            }.Concat(Settings())));
        await again.StartAsync();
        await again.StopAsync();
        await again.DisposeAsync();
    }

    private string Assertion(string clientId)
    {
        using var keys = JsonDocument.Parse(File.ReadAllText(Path.Combine(DemoFolder, "demo-client-keys.private.json")));
        var key = new JsonWebKeySet(keys.RootElement.GetProperty(clientId).GetRawText()).Keys.Single(k => k.D is not null);
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = clientId,
            Audience = TokenEndpoint.ToString(),
            IssuedAt = now,
            Expires = now.AddMinutes(4),
            Claims = new Dictionary<string, object> { ["sub"] = clientId, ["jti"] = Guid.NewGuid().ToString("N") },
            SigningCredentials = new SigningCredentials(key, key.Kty == "RSA" ? SecurityAlgorithms.RsaSha384 : SecurityAlgorithms.EcdsaSha384),
        });
    }

    private static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "InteropGateway.sln")))
        {
            root = root.Parent;
        }

        return root?.FullName ?? throw new InvalidOperationException("InteropGateway.sln not found above " + AppContext.BaseDirectory);
    }
}
