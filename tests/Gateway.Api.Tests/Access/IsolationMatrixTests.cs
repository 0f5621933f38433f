using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Xunit.Abstractions;

namespace Gateway.Api.Tests.Access;

/// <summary>
/// Issue 16: partner isolation as a table, not a list. Every caller (<see cref="IsolationCaller.All"/>)
/// × every read path (<see cref="IsolationPaths.Reads"/>) × every seeded resource the caller may not
/// see (<see cref="IsolationGateway.SightOf"/>, SPEC §8), against one store seeded with all
/// partners' data: nothing foreign comes back, in status, body or headers. A new caller or path is
/// one row of its table. Writes that may find a match are in <see cref="IsolationMatrixWriteTests"/>.
/// </summary>
public sealed class IsolationMatrixTests(IsolationGateway gateway, ITestOutputHelper output) : IClassFixture<IsolationGateway>
{
    public static TheoryData<string, string> Cases() => IsolationPaths.Cases(IsolationPaths.Reads);

    [Theory]
    [MemberData(nameof(Cases))]
    public System.Threading.Tasks.Task Nothing_the_caller_may_not_see_comes_back(string caller, string path) =>
        IsolationPaths.AssertNothingComesBack(gateway, IsolationPaths.Reads, caller, path, output);

    [Fact]
    public void Every_caller_has_foreign_or_withheld_resources_of_every_seeded_type_to_probe_with()
    {
        foreach (var caller in IsolationCaller.All)
        {
            var hidden = gateway.Seeded.Where(r => IsolationGateway.SightOf(caller, r) is Sight.Foreign or Sight.Withheld).Select(r => r.Type).ToHashSet();
            var expected = caller.IsOperator ? new[] { "Patient", "Consent", "ServiceRequest", "QuestionnaireResponse" } : ["Patient", "Consent", "ServiceRequest", "Task", "QuestionnaireResponse", "Provenance", "Subscription"];
            Assert.True(expected.All(hidden.Contains), $"{caller.Name} has hidden {string.Join(", ", hidden)}");
        }

        Assert.Contains(gateway.Seeded, r => r.Bsn is not null && r.Referral is not null);
    }

    [Fact]
    public async System.Threading.Tasks.Task Each_partner_sees_its_own_seed()
    {
        foreach (var resource in gateway.Seeded.Where(r => r.Creator != ""))
        {
            using var response = await gateway.ClientOf(resource.Creator).GetAsync(resource.Reference);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{resource} read by its creator: {(int)response.StatusCode}");
        }
    }
}
