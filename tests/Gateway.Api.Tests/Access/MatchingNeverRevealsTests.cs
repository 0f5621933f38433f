using System.Net;
using Gateway.Api.Tests.Workflow;
using Gateway.Fhir.Access;
using Gateway.Fhir.Workflow;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Access;

/// <summary>
/// Issue 16 (A, B): matching a Patient never reveals one the caller may not see (SPEC §8). The
/// caller gets its own new Patient, answered exactly as a fresh create; the link is for operators.
/// Matching applies to every way a Patient is created.
/// </summary>
public sealed class MatchingNeverRevealsTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private const string BirthDate = "1948-02-14";

    [Fact]
    public async System.Threading.Tasks.Task Another_practice_posting_a_known_bsn_gets_its_own_patient_answered_as_a_fresh_create()
    {
        var bsn = Referrals.NewBsn();
        var theirs = await ReferredPatientAsync(new Identifier(BsnSystems.Uri, bsn));
        using var otherGp = await gateway.CreateClientAsync(TestPartners.OtherGp);

        using var matched = await otherGp.PostAsync("Patient", Incoming(new Identifier(BsnSystems.Uri, bsn), BirthDate));
        using var fresh = await otherGp.PostAsync("Patient", Incoming(new Identifier(BsnSystems.Uri, Referrals.NewBsn()), BirthDate));

        await AssertOwnNewPatientAsync(matched, fresh, theirs, otherGp);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_same_by_nhs_number()
    {
        var nhs = Resources.NewNhsNumber();
        var theirs = await ReferredPatientAsync(new Identifier(PatientMatchingSystems.Nhs, nhs));
        using var otherGp = await gateway.CreateClientAsync(TestPartners.OtherGp);

        using var matched = await otherGp.PostAsync("Patient", Incoming(new Identifier(PatientMatchingSystems.Nhs, nhs), BirthDate));
        using var fresh = await otherGp.PostAsync("Patient", Incoming(new Identifier(PatientMatchingSystems.Nhs, Resources.NewNhsNumber()), BirthDate));

        await AssertOwnNewPatientAsync(matched, fresh, theirs, otherGp);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_same_with_another_birth_date_carries_no_link_or_tag()
    {
        var bsn = Referrals.NewBsn();
        var theirs = await ReferredPatientAsync(new Identifier(BsnSystems.Uri, bsn));
        using var otherGp = await gateway.CreateClientAsync(TestPartners.OtherGp);

        using var conflicting = await otherGp.PostAsync("Patient", Incoming(new Identifier(BsnSystems.Uri, bsn), "1950-01-01"));
        using var fresh = await otherGp.PostAsync("Patient", Incoming(new Identifier(BsnSystems.Uri, Referrals.NewBsn()), "1950-01-01"));

        var own = await AssertOwnNewPatientAsync(conflicting, fresh, theirs, otherGp);
        Assert.Equal(PatientMatching.ConflictCode, await OperatorLinkAsync(own, theirs));
    }

    [Fact]
    public async System.Threading.Tasks.Task The_same_inside_a_transaction_and_its_referral_names_the_callers_own_patient()
    {
        var bsn = Referrals.NewBsn();
        var theirs = await ReferredPatientAsync(new Identifier(BsnSystems.Uri, bsn));
        using var otherGp = await gateway.CreateClientAsync(TestPartners.OtherGp);
        const string patientUrl = "urn:uuid:6f0c2b9e-7d1a-4c55-9a0e-2b6f1d3c4e58";
        var request = Resources.ServiceRequest("placeholder", TestPartners.OtherGp);
        request.Subject = new ResourceReference(patientUrl);
        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Transaction,
            Entry =
            [
                new() { FullUrl = patientUrl, Resource = Incoming(new Identifier(BsnSystems.Uri, bsn), BirthDate), Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Patient" } },
                new() { Resource = request, Request = new() { Method = Bundle.HTTPVerb.POST, Url = "ServiceRequest" } },
            ],
        };

        using var response = await otherGp.PostBundleAsync(bundle);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(theirs, body, StringComparison.Ordinal);
        var result = FhirHttp.Parse<Bundle>(body);
        Assert.Equal("201 Created", result.Entry[0].Response.Status);
        var own = result.Entry[0].Response.Location.Split('/')[1];
        Assert.Equal($"Patient/{own}", (await otherGp.ReferralTaskAsync(result.Entry[1].Response.Location.Split('/')[1])).For.Reference);
        Assert.Equal(HttpStatusCode.NotFound, (await otherGp.GetAsync($"Patient/{theirs}")).StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_referral_for_a_patient_the_caller_may_not_see_is_refused_as_one_that_does_not_exist()
    {
        var theirs = await ReferredPatientAsync(new Identifier(BsnSystems.Uri, Referrals.NewBsn()));
        using var otherGp = await gateway.CreateClientAsync(TestPartners.OtherGp);

        using var hidden = await otherGp.PostAsync("ServiceRequest", Resources.ServiceRequest(theirs, TestPartners.OtherGp));
        using var unknown = await otherGp.PostAsync("ServiceRequest", Resources.ServiceRequest("no-such-patient", TestPartners.OtherGp));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, hidden.StatusCode);
        Assert.Equal(unknown.StatusCode, hidden.StatusCode);
        Assert.Equal(
            (await unknown.Content.ReadAsStringAsync()).Replace("no-such-patient", "ID", StringComparison.Ordinal),
            (await hidden.Content.ReadAsStringAsync()).Replace(theirs, "ID", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await otherGp.GetAsync($"Patient/{theirs}")).StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_referral_may_come_before_the_patient_it_names_in_its_transaction()
    {
        const string patientUrl = "urn:uuid:3c1d9a8e-5b2f-4e07-8d6a-9f0b1c2d3e4f";
        var request = Resources.ServiceRequest("placeholder", TestPartners.Gp);
        request.Subject = new ResourceReference(patientUrl);
        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Transaction,
            Entry =
            [
                new() { Resource = request, Request = new() { Method = Bundle.HTTPVerb.POST, Url = "ServiceRequest" } },
                new() { FullUrl = patientUrl, Resource = Incoming(new Identifier(BsnSystems.Uri, Referrals.NewBsn()), BirthDate), Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Patient" } },
            ],
        };

        using var response = await gateway.Client.PostBundleAsync(bundle);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async System.Threading.Tasks.Task A_patient_created_with_put_is_matched_too_and_linked_for_operators()
    {
        var nhs = Resources.NewNhsNumber();
        var mine = await gateway.Client.CreateAsync(Resources.Patient(nhs));
        var id = "dup-okafor-" + Guid.NewGuid().ToString("N")[..8];
        var duplicate = Resources.Patient(nhs);
        duplicate.Id = id;

        using var response = await gateway.Client.PutAsync($"Patient/{id}", duplicate);

        // The client chose the id, so it gets that resource (as HAPI would); the duplicate is an operator's to resolve.
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.ReadResourceAsync<Patient>();
        Assert.Empty(created.Link);
        Assert.Empty(created.Meta.Tag);
        Assert.Equal(PatientMatching.SamePersonCode, await OperatorLinkAsync(id, mine.Id));
    }

    [Fact]
    public async System.Threading.Tasks.Task Nobody_but_operators_sees_the_link()
    {
        var bsn = Referrals.NewBsn();
        var theirs = await ReferredPatientAsync(new Identifier(BsnSystems.Uri, bsn));
        using var otherGp = await gateway.CreateClientAsync(TestPartners.OtherGp);
        var own = await otherGp.CreateAsync(Incoming(new Identifier(BsnSystems.Uri, bsn), BirthDate));

        Assert.Equal(PatientMatching.SamePersonCode, await OperatorLinkAsync(own.Id, theirs));
        foreach (var partner in new[] { gateway.Client, otherGp })
        {
            Assert.Empty((await partner.SearchAsync($"AuditEvent?entity=Patient/{own.Id}")).Entry);
            Assert.Empty((await partner.SearchAsync($"AuditEvent?type={PatientMatching.LinkReasonSystem}|")).Entry);
        }
    }

    // A Patient of the test GP with a referral, so it is known and in use.
    private async Task<string> ReferredPatientAsync(Identifier identifier)
    {
        var patient = Resources.Patient(family: "Bakker");
        patient.Identifier = [identifier];
        patient.BirthDate = BirthDate;
        var stored = await gateway.Client.CreateAsync(patient);
        await gateway.Client.CreateAsync(Resources.ServiceRequest(stored.Id, TestPartners.Gp));
        return stored.Id;
    }

    private static Patient Incoming(Identifier identifier, string birthDate) => new()
    {
        Identifier = [identifier],
        Name = [new HumanName { Family = "X" }],
        BirthDate = birthDate,
    };

    // Status and header names as a fresh create's; a body of the caller's own; nothing naming the other Patient.
    private static async Task<string> AssertOwnNewPatientAsync(HttpResponseMessage matched, HttpResponseMessage fresh, string theirs, HttpClient caller)
    {
        Assert.Equal(HttpStatusCode.Created, fresh.StatusCode);
        Assert.Equal(fresh.StatusCode, matched.StatusCode);
        Assert.Equal(HeaderNames(fresh), HeaderNames(matched));
        Assert.DoesNotContain(theirs, matched.Headers.ToString() + matched.Content.Headers, StringComparison.Ordinal);
        var body = await matched.Content.ReadAsStringAsync();
        Assert.DoesNotContain(theirs, body, StringComparison.Ordinal);
        var own = FhirHttp.Parse<Patient>(body);
        Assert.NotEqual(theirs, own.Id);
        Assert.Equal("X", own.Name.Single().Family);
        Assert.Empty(own.Link);
        Assert.True(own.Meta.Tag.Count == 0, "The caller's Patient carries a tag.");
        Assert.Equal(HttpStatusCode.NotFound, (await caller.GetAsync($"Patient/{theirs}")).StatusCode);
        return own.Id!;
    }

    private static List<string> HeaderNames(HttpResponseMessage response) =>
        response.Headers.Concat(response.Content.Headers).Select(h => h.Key).Where(h => h is not ("Date" or "X-Request-ID")).Order(StringComparer.Ordinal).ToList();

    // The reason of the link operators see between the two Patients, from the audit trail.
    private async Task<string?> OperatorLinkAsync(string created, string other)
    {
        using var ops = await gateway.CreateClientAsync(TestPartners.Operator, "system/AuditEvent.rs");
        var links = await ops.SearchAsync($"AuditEvent?entity=Patient/{created}&type={PatientMatching.LinkReasonSystem}|");
        return links.Entry.Select(e => (AuditEvent)e.Resource)
            .SingleOrDefault(a => a.Entity.Any(x => x.What?.Reference == $"Patient/{other}"))?.Type.Code;
    }
}
