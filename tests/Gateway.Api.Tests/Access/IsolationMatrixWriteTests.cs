using System.Net;
using Gateway.Api.Tests.Workflow;
using Gateway.Fhir.Access;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Xunit.Abstractions;

namespace Gateway.Api.Tests.Access;

/// <summary>
/// Issue 16, the writes: every caller × every conditional write and patient match
/// (<see cref="IsolationPaths.Writes"/>) aimed at what the caller may not see acts as if there
/// were no match and leaves it as it was (SPEC §8). What these probes store would show in the
/// caller's own history, so they get a seeded store of their own, apart from the reads.
/// </summary>
public sealed class IsolationMatrixWriteTests(IsolationGateway gateway, ITestOutputHelper output) : IClassFixture<IsolationGateway>
{
    public static TheoryData<string, string> Cases() => IsolationPaths.Cases(IsolationPaths.Writes);

    [Theory]
    [MemberData(nameof(Cases))]
    public System.Threading.Tasks.Task Nothing_the_caller_may_not_see_is_matched(string caller, string path) =>
        IsolationPaths.AssertNothingComesBack(gateway, IsolationPaths.Writes, caller, path, output);

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
        // By then the caller's own POST above made its own Patient with this number: the transaction matches that one.
        var ownId = (await posted.ReadResourceAsync<Patient>()).Id;
        Assert.StartsWith($"Patient/{ownId}/", (await transaction.ReadResourceAsync<Bundle>()).Entry[0].Response.Location);
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

        // Refused as a reference to an unknown resource (422, ReferenceRules), so it tells nothing of the other referral.
        Assert.True(forged.StatusCode is HttpStatusCode.UnprocessableEntity,
            $"housing's outcome measure on welfare's referral answered {(int)forged.StatusCode}: {await forged.Content.ReadAsStringAsync()}");
        Assert.Equal($"QuestionnaireResponse.basedOn refers to ServiceRequest/{request.Id}, which is not known to this server.", (await forged.ReadOutcomeAsync()).Issue[0].Diagnostics);
        var responses = await gp.SearchAsync($"QuestionnaireResponse?based-on=ServiceRequest/{request.Id}");
        Assert.DoesNotContain(responses.Entry, e => e.Resource is QuestionnaireResponse);
    }
}
