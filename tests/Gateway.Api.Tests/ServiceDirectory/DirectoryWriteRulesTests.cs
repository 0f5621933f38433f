using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.ServiceDirectory;

/// <summary>
/// Issue 20: a partner publishes services and venues only for its own organisation (or one part of
/// it): naming another partner's Organization as a HealthcareService's providedBy or a Location's
/// managingOrganization is refused, 403, naming the element and the partner, by create, update and PATCH alike.
/// </summary>
public sealed class DirectoryWriteRulesTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private static readonly string[] Writers = [TestPartners.Gp, TestPartners.Housing, TestPartners.Welfare];

    private static readonly string[] Writes = ["create", "update", "patch"];

    private static readonly string[] Elements = ["HealthcareService.providedBy", "Location.managingOrganization"];

    public static TheoryData<string, string, string> Cases()
    {
        var cases = new TheoryData<string, string, string>();
        foreach (var writer in Writers)
        {
            foreach (var write in Writes)
            {
                foreach (var element in Elements)
                {
                    cases.Add(writer, write, element);
                }
            }
        }

        return cases;
    }

    // Whose organisation each writer tries to publish for.
    private static string VictimOf(string writer) => writer == TestPartners.Housing ? TestPartners.Welfare : TestPartners.Housing;

    [Theory]
    [MemberData(nameof(Cases))]
    public async System.Threading.Tasks.Task Naming_another_partners_organisation_is_refused(string writer, string write, string element)
    {
        var client = await gateway.CreateClientAsync(writer);
        var victim = VictimOf(writer);
        var theirs = $"Organization/{victim}";
        var type = element.Split('.')[0];
        var member = element.Split('.')[1];

        HttpResponseMessage refused;
        Resource? before = null;
        if (write == "create")
        {
            refused = await client.PostAsync(type, Entry(type, theirs));
        }
        else
        {
            // Its own entry first: that is allowed.
            before = await client.CreateAsync(Entry(type, $"Organization/{writer}"));
            refused = write == "update"
                ? await client.PutAsync($"{type}/{before.Id}", WithId(Entry(type, theirs), before.Id))
                : await client.SendAsync(HttpMethod.Patch, $"{type}/{before.Id}",
                    FhirHttp.Content($$"""[{"op":"replace","path":"/{{member}}/reference","value":"{{theirs}}"}]""", "application/json-patch+json"));
        }

        using (refused)
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var issue = (await refused.ReadOutcomeAsync()).Issue.Single();
            Assert.Equal(OperationOutcome.IssueType.Forbidden, issue.Code);
            Assert.Equal(element, issue.Expression.Single());
            Assert.Contains($"partner {victim}'s organisation", issue.Diagnostics, StringComparison.Ordinal);
            Assert.Contains($"a client of {writer}", issue.Diagnostics, StringComparison.Ordinal);
        }

        if (before is not null)
        {
            var now = await (await client.GetAsync($"{type}/{before.Id}")).ReadResourceAsync<Resource>();
            Assert.Equal("1", now.Meta.VersionId);
        }
    }

    public static TheoryData<string, string, string> NonPublishers()
    {
        var cases = new TheoryData<string, string, string>();
        foreach (var (kind, scopes) in new[]
        {
            (TestPartners.Operator, "system/Organization.rs system/Task.rus"),
            (TestPartners.Commissioner, "system/*.rs system/Subscription.cruds"),
            (TestPartners.Evaluator, "system/*.rs"),
        })
        {
            foreach (var write in Writes)
            {
                cases.Add(kind, scopes, write);
            }
        }

        return cases;
    }

    // The partner kinds that publish nothing (operator, commissioner, evaluator): refused whatever the service names, and it stays as it was.
    [Theory]
    [MemberData(nameof(NonPublishers))]
    public async System.Threading.Tasks.Task A_partner_kind_that_publishes_nothing_cannot_write_the_directory(string partner, string scopes, string write)
    {
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var existing = await housing.CreateAsync((HealthcareService)Entry("HealthcareService", $"Organization/{TestPartners.Housing}"));
        var client = await gateway.CreateClientAsync(partner, scopes);
        var own = (HealthcareService)Entry("HealthcareService", $"Organization/{partner}");

        using var refused = write switch
        {
            "create" => await client.PostAsync("HealthcareService", own),
            "update" => await client.PutAsync($"HealthcareService/{existing.Id}", WithId(own, existing.Id)),
            _ => await DirectoryEntries.PatchCapacityAsync(client, existing.Id, accepts: false, waitDays: 90),
        };

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(OperationOutcome.IssueType.Forbidden, (await refused.ReadOutcomeAsync()).Issue.Single().Code);
        Assert.Equal("1", (await (await housing.GetAsync($"HealthcareService/{existing.Id}")).ReadResourceAsync<HealthcareService>()).Meta.VersionId);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_provider_publishes_for_an_organisation_that_is_part_of_it_but_not_for_one_part_of_another()
    {
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var welfare = await gateway.CreateClientAsync(TestPartners.Welfare);
        var ownCharity = await housing.CreateAsync(new Organization { Identifier = [new Identifier("https://example.org/charities", "GARDEN-1")], Name = "Caldmore Tenants' Garden Club", PartOf = new ResourceReference($"Organization/{TestPartners.Housing}") });
        var theirCharity = await welfare.CreateAsync(new Organization { Identifier = [new Identifier("https://example.org/charities", "TAAL-1")], Name = "Kampen Taalcafe Stichting", PartOf = new ResourceReference($"Organization/{TestPartners.Welfare}") });

        var published = await housing.CreateAsync(Entry("HealthcareService", $"Organization/{ownCharity.Id}"));
        using var refused = await housing.PostAsync("HealthcareService", Entry("HealthcareService", $"Organization/{theirCharity.Id}"));

        Assert.Equal($"Organization/{ownCharity.Id}", ((HealthcareService)published).ProvidedBy.Reference);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains($"partner {TestPartners.Welfare}'s organisation", (await refused.ReadOutcomeAsync()).Issue.Single().Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_partner_cannot_change_a_service_another_partner_provides()
    {
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var welfare = await gateway.CreateClientAsync(TestPartners.Welfare);
        var theirs = await welfare.CreateAsync((HealthcareService)Entry("HealthcareService", $"Organization/{TestPartners.Welfare}"));

        using var patched = await DirectoryEntries.PatchCapacityAsync(housing, theirs.Id, accepts: false, waitDays: 90);

        Assert.Equal(HttpStatusCode.Forbidden, patched.StatusCode);
        Assert.Equal("1", (await (await welfare.GetAsync($"HealthcareService/{theirs.Id}")).ReadResourceAsync<HealthcareService>()).Meta.VersionId);
    }

    private static Resource Entry(string type, string organization) => type == "HealthcareService"
        ? new HealthcareService
        {
            Active = true,
            ProvidedBy = new ResourceReference(organization),
            Category = [new CodeableConcept(DirectoryEntries.ActivitySystem, "befriending")],
            Name = "Tuesday Walking Group " + Guid.NewGuid().ToString("N")[..6],
        }
        : new Location
        {
            Status = Location.LocationStatus.Active,
            Name = "Community Hall " + Guid.NewGuid().ToString("N")[..6],
            ManagingOrganization = new ResourceReference(organization),
            Address = new Address { City = "Walsall", PostalCode = "WS1 1AA" },
        };

    private static Resource WithId(Resource resource, string id)
    {
        resource.Id = id;
        return resource;
    }
}
