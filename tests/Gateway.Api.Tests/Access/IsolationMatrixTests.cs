using System.Net;
using Gateway.Api.Tests.Workflow;
using Gateway.Fhir.Access;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Access;

/// <summary>
/// Issue 16: partner isolation as a table, not a list. Every caller (<see cref="IsolationCaller.All"/>)
/// × every read path (<see cref="IsolationPaths.All"/>) × every seeded resource the caller may not
/// see (<see cref="IsolationGateway.SightOf"/>, SPEC §8), against one store seeded with all
/// partners' data: nothing foreign comes back, in status, body or headers. A new caller or path is
/// one row of its table.
/// </summary>
public sealed class IsolationMatrixTests(IsolationGateway gateway) : IClassFixture<IsolationGateway>
{
    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var caller in IsolationCaller.All)
        {
            foreach (var path in IsolationPaths.All)
            {
                cases.Add(caller.Name, path.Name);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async System.Threading.Tasks.Task Nothing_the_caller_may_not_see_comes_back(string caller, string path)
    {
        var probe = new IsolationProbe(gateway, IsolationCaller.All.Single(c => c.Name == caller));

        await IsolationPaths.All.Single(p => p.Name == path).Run(probe);

        var violations = probe.Violations.Distinct().ToList();
        Assert.True(violations.Count == 0, $"{caller} × {path}: {violations.Count} leak(s)\n" + string.Join("\n", violations.Take(30)));
    }

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

    // Reproduction 1: patient matching handed another practice's Patient over by NHS number or BSN.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async System.Threading.Tasks.Task Patient_matching_never_hands_over_another_practices_patient(bool bsn)
    {
        var gpA = gateway.ClientOf(TestPartners.Gp);
        var gpB = gateway.ClientOf(TestPartners.OtherGp);
        var theirs = Resources.Patient(family: "Theirs" + Guid.NewGuid().ToString("N")[..8]);
        if (bsn)
        {
            theirs.Identifier = [new Identifier(DataMinimisation.BsnSystem, Referrals.NewBsn())];
        }

        var stored = await gpA.CreateAsync(theirs);
        var identifier = stored.Identifier[0];
        Patient Mine(string birthDate)
        {
            var mine = Resources.Patient(family: "Mine" + Guid.NewGuid().ToString("N")[..8]);
            mine.Identifier = [new Identifier(identifier.System, identifier.Value)];
            mine.BirthDate = birthDate;
            return mine;
        }

        using var posted = await gpB.PostAsync("Patient", Mine(stored.BirthDate));
        using var conditional = await gpB.PostAsync("Patient", Mine(stored.BirthDate), ("If-None-Exist", $"identifier={identifier.System}|{identifier.Value}"));
        using var conflicting = await gpB.PostAsync("Patient", Mine("1960-01-01"));
        using var transaction = await gpB.PostBundleAsync(new Bundle
        {
            Type = Bundle.BundleType.Transaction,
            Entry = [new() { FullUrl = "urn:uuid:" + Guid.NewGuid(), Resource = Mine(stored.BirthDate), Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Patient" } }],
        });

        foreach (var (what, response) in new[] { ("POST", posted), ("conditional create", conditional), ("another birth date", conflicting), ("transaction", transaction) })
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.False(body.Contains(stored.Id, StringComparison.Ordinal), $"{what}: {(int)response.StatusCode} names the other practice's Patient/{stored.Id}\n{body}");
            Assert.False(body.Contains(theirs.Name[0].Family, StringComparison.Ordinal), $"{what}: the other practice's patient's name comes back");
            Assert.False(body.Contains("identity-conflict", StringComparison.Ordinal), $"{what}: the identity-conflict tag tells the caller another practice knows this person");
            Assert.DoesNotContain(stored.Id, response.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        Assert.Equal(HttpStatusCode.Created, conflicting.StatusCode);
        Assert.Equal("201", (await transaction.ReadResourceAsync<Bundle>()).Entry[0].Response.Status[..3]);
        var after = await (await gpA.GetAsync($"Patient/{stored.Id}")).ReadResourceAsync<Patient>();
        Assert.Equal(stored.Meta.VersionId, after.Meta.VersionId);
    }

    // Reproduction 6: a housing provider wrote an outcome measure on a welfare organisation's referral, and the GP saw it.
    [Fact]
    public async System.Threading.Tasks.Task A_provider_cannot_write_an_outcome_measure_on_a_referral_it_does_not_own()
    {
        var gp = gateway.ClientOf(TestPartners.OtherGp);
        var patient = Resources.Patient(family: "Welfare" + Guid.NewGuid().ToString("N")[..8]);
        patient.Identifier = [new Identifier(DataMinimisation.BsnSystem, Referrals.NewBsn())];
        patient = await gp.CreateAsync(patient);
        await gp.CreateAsync(Resources.Consent(patient.Id, TestPartners.Welfare));
        var request = await gp.CreateAsync(Resources.ServiceRequest(patient.Id, TestPartners.OtherGp, TestPartners.Welfare));

        using var forged = await gateway.ClientOf(TestPartners.Housing).PostAsync("QuestionnaireResponse", Resources.Ons4(request.Id, patient.Id));

        Assert.True(forged.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden,
            $"housing's outcome measure on welfare's referral answered {(int)forged.StatusCode}: {await forged.Content.ReadAsStringAsync()}");
        var responses = await gp.SearchAsync($"QuestionnaireResponse?based-on=ServiceRequest/{request.Id}");
        Assert.DoesNotContain(responses.Entry, e => e.Resource is QuestionnaireResponse);
    }
}
