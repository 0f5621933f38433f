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
    [InlineData("""{"partners":[{"id":"a","kind":"gp-practice","name":"A","colour":"red"}]}""", "colour")]
    [InlineData("""{"partners":[{"id":"a","kind":"gp-practice","name":"A"},{"id":"a","kind":"gp-practice","name":"B"}]}""", "partners[1] (a).id: another partner")]
    public void A_bad_entry_fails_the_load_naming_it(string json, string expected)
    {
        File.WriteAllText(_file, json);

        var error = Assert.Throws<PartnersFileException>(() => PartnersFileLoader.Load(_file));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(_file, error.Message, StringComparison.Ordinal);
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
