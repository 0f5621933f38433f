using Gateway.Fhir.Partners;

namespace Gateway.Fhir.Tests.Partners;

public sealed class PartnersFileLoaderTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"partners-{Guid.NewGuid():N}.json");

    [Fact]
    public void The_samples_partners_file_loads()
    {
        var file = PartnersFileLoader.Load(Path.Combine(RepositoryRoot(), "..", "shared", "samples", "partners.json"));

        Assert.Equal(5, file.Partners.Count);
        Assert.Contains(file.Partners, p => p.Id == "wor-kampen" && p.Kind == PartnerKinds.WelfareOrganisation);
        Assert.Equal("hfactor-housing", file.Routing![0].Performer);
    }

    [Theory]
    [InlineData("""{"partners":[{"id":"a b","kind":"gp-practice","name":"A","clients":[]}]}""", "partners[0] (a b).id")]
    [InlineData("""{"partners":[{"id":"a","kind":"hospital","name":"A","clients":[]}]}""", "partners[0] (a).kind: 'hospital'")]
    [InlineData("""{"partners":[{"id":"a","kind":"gp-practice","name":"A","clients":[{"clientId":"c","scopes":"system/Task.rs"}]}]}""", "partners[0] (a).clients[0] (c): give exactly one of 'jwks'")]
    [InlineData("""{"partners":[{"id":"a","kind":"gp-practice","name":"A","clients":[{"clientId":"c","jwksUrl":"https://x.example/jwks","scopes":"system/Task.fly"}]}]}""", "partners[0] (a).clients[0] (c).scopes: 'system/Task.fly'")]
    [InlineData("""{"partners":[{"id":"a","kind":"gp-practice","name":"A","clients":[{"clientId":"c","jwks":{"keys":[{"kty":"EC","crv":"P-384","x":"1","y":"2","d":"3"}]},"scopes":"system/Task.rs"}]}]}""", "holds a private key")]
    [InlineData("""{"partners":[{"id":"a","kind":"gp-practice","name":"A","sla":{"acceptWithin":"5 days"}}]}""", "partners[0] (a).sla.acceptWithin: '5 days'")]
    [InlineData("""{"partners":[{"id":"a","kind":"gp-practice","name":"A"}],"routing":[{"when":{"postcodePrefixes":["WS1"]},"performer":"nobody"}]}""", "routing[0].performer: 'nobody'")]
    [InlineData("""{"partners":[{"id":"a","kind":"housing-provider","name":"A","fhirEndpoint":"fhir.example.org/r4"}]}""", "partners[0] (a).fhirEndpoint: 'fhir.example.org/r4' is not the absolute http(s) base URL")]
    [InlineData("""{"partners":[{"id":"a","kind":"housing-provider","name":"A","fhirEndpoint":"ftp://fhir.example.org/r4"}]}""", "partners[0] (a).fhirEndpoint: 'ftp://fhir.example.org/r4'")]
    [InlineData("""{"partners":[{"id":"a","kind":"housing-provider","name":"A","fhirEndpointTokenEnv":"A_TOKEN"}]}""", "partners[0] (a).fhirEndpointTokenEnv: names the environment variable")]
    [InlineData("""{"partners":[{"id":"a","kind":"housing-provider","name":"A","pull":{"url":"ftp://a.example/export","schedule":"*/15 * * * *"}}]}""", "partners[0] (a).pull.url: 'ftp://a.example/export'")]
    [InlineData("""{"partners":[{"id":"a","kind":"housing-provider","name":"A","pull":{"url":"/export","schedule":"*/15 * * * *"}}]}""", "partners[0] (a).pull.url: '/export' is not an absolute http(s) URL")]
    [InlineData("""{"partners":[{"id":"a","kind":"housing-provider","name":"A","pull":{"url":"https://a.example/export","schedule":"every 15 minutes"}}]}""", "partners[0] (a).pull.schedule: 'every 15 minutes'")]
    [InlineData("""{"partners":[{"id":"a","kind":"housing-provider","name":"A","pull":{"url":"https://a.example/export","schedule":"61 * * * *"}}]}""", "partners[0] (a).pull.schedule: '61 * * * *'")]
    [InlineData("""{"partners":[{"id":"a","kind":"welfare-organisation","name":"A","dropFolder":"   "}]}""", "partners[0] (a).dropFolder")]
    [InlineData("""{"partners":[{"id":"a","kind":"gp-practice","name":"A","colour":"red"}]}""", "colour")]
    [InlineData("""{"partners":[{"id":"a","kind":"gp-practice","name":"A"},{"id":"a","kind":"gp-practice","name":"B"}]}""", "partners[1] (a).id: another partner")]
    [InlineData("""{"partners":[{"id":"a","kind":"gp-practice","name":"A"}],"commissionerLogins":[{"user":"u","passwordEnv":"U_PASSWORD","commissioner":"a"}]}""", "commissionerLogins[0].commissioner: 'a' is a partner of kind 'gp-practice', not 'commissioner'")]
    [InlineData("""{"partners":[{"id":"a","kind":"gp-practice","name":"A"}],"commissionerLogins":[{"user":"u","passwordEnv":"U_PASSWORD","commissioner":"nobody"}]}""", "commissionerLogins[0].commissioner: 'nobody' is not a partner")]
    [InlineData("""{"partners":[{"id":"a","kind":"commissioner","name":"A","area":{"postcodePrefixes":["WS1"]}}],"operators":[{"user":"u","passwordEnv":"O"}],"commissionerLogins":[{"user":"u","passwordEnv":"U","commissioner":"a"}]}""", "commissionerLogins[0].user: 'u' is already an operator")]
    [InlineData("""{"partners":[{"id":"a","kind":"commissioner","name":"A","area":{"postcodePrefixes":["WS1"]}}],"commissionerLogins":[{"user":"u","commissioner":"a"}]}""", "commissionerLogins[0]: needs 'user', 'passwordEnv'")]
    public void A_bad_entry_fails_the_load_naming_it(string json, string expected)
    {
        File.WriteAllText(_file, json);

        var error = Assert.Throws<PartnersFileException>(() => PartnersFileLoader.Load(_file));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(_file, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*/15 * * * *")]
    [InlineData("0 */6 * * *")]
    [InlineData("30 */5 * * * *")]
    [InlineData("@daily")]
    public void A_pull_schedule_hangfire_can_run_is_accepted(string schedule)
    {
        File.WriteAllText(_file, $$"""{"partners":[{"id":"a","kind":"housing-provider","name":"A","pull":{"url":"https://a.example/export","schedule":"{{schedule}}"},"dropFolder":"drop/a"}]}""");

        Assert.Equal(schedule, PartnersFileLoader.Load(_file).Partners.Single().Pull!.Schedule);
    }

    [Fact]
    public void A_missing_file_says_which_path_it_looked_for()
    {
        var error = Assert.Throws<PartnersFileException>(() => PartnersFileLoader.Load(_file));

        Assert.Contains(_file, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => File.Delete(_file);

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(folder.FullName, "InteropGateway.sln")))
        {
            folder = folder.Parent!;
        }

        return folder.FullName;
    }
}
