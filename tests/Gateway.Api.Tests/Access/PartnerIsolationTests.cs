using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Access;

/// <summary>
/// Two GP practices and two providers: nothing of one partner is visible to another through
/// read, vread, search, _include, _revinclude, history or a transaction (SPEC §8: 404, not 403).
/// </summary>
public sealed class PartnerIsolationTests(GatewayApp gateway) : IClassFixture<GatewayApp>, IAsyncLifetime
{
    private HttpClient _gpA = null!;
    private HttpClient _gpB = null!;
    private HttpClient _housing = null!;
    private HttpClient _welfare = null!;
    private Referral _a = null!;
    private Referral _b = null!;

    private sealed record Referral(Patient Patient, Consent? Consent, ServiceRequest Request, Hl7.Fhir.Model.Task Task, QuestionnaireResponse Response)
    {
        public IEnumerable<Resource> Clinical => new Resource?[] { Patient, Consent, Request, Task, Response }.OfType<Resource>();
    }

    public async Task InitializeAsync()
    {
        _gpA = gateway.Client;
        _gpB = await gateway.CreateClientAsync(TestPartners.OtherGp);
        _housing = await gateway.CreateClientAsync(TestPartners.Housing);
        _welfare = await gateway.CreateClientAsync(TestPartners.Welfare);
        _a = await CreateReferral(_gpA, TestPartners.Gp, TestPartners.Housing, consentFor: TestPartners.Housing);
        _b = await CreateReferral(_gpB, TestPartners.OtherGp, TestPartners.Welfare, consentFor: null);
    }

    public Task DisposeAsync()
    {
        _gpB.Dispose();
        _housing.Dispose();
        _welfare.Dispose();
        return System.Threading.Tasks.Task.CompletedTask;
    }

    [Fact]
    public async Task Another_gp_practice_sees_nothing_of_a_referral_by_any_interaction()
    {
        await AssertInvisible(_gpB, _a.Clinical);
    }

    [Fact]
    public async Task A_provider_sees_nothing_of_referrals_owned_by_another_provider()
    {
        await AssertInvisible(_welfare, _a.Clinical);
        await AssertInvisible(_housing, _b.Clinical);
    }

    [Fact]
    public async Task The_owning_provider_with_consent_sees_the_task_request_patient_and_responses_but_not_the_consent()
    {
        foreach (var resource in new Resource[] { _a.Task, _a.Request, _a.Patient, _a.Response })
        {
            Assert.Equal(HttpStatusCode.OK, (await _housing.GetAsync($"{resource.TypeName}/{resource.Id}")).StatusCode);
        }

        var bundle = await _housing.SearchAsync($"Task?_id={_a.Task.Id}&_include=Task:focus&_include=Task:patient");
        Assert.Equal(3, bundle.Entry.Count);
        await AssertInvisible(_housing, [_a.Consent!]);
    }

    [Fact]
    public async Task Without_consent_the_owning_provider_sees_the_task_only()
    {
        Assert.Equal(HttpStatusCode.OK, (await _welfare.GetAsync($"Task/{_b.Task.Id}")).StatusCode);

        await AssertInvisible(_welfare, [_b.Patient, _b.Request, _b.Response]);
        var bundle = await _welfare.SearchAsync($"Task?_id={_b.Task.Id}&_include=Task:*");
        // The partner directory (Organization) is public; nothing personal comes along.
        Assert.Equal([$"Task/{_b.Task.Id}"], bundle.Entry.Where(e => e.Resource.TypeName != "Organization").Select(e => $"{e.Resource.TypeName}/{e.Resource.Id}"));
    }

    [Fact]
    public async Task Revoking_the_consent_hides_the_patient_from_the_provider_from_then_on()
    {
        var referral = await CreateReferral(_gpA, TestPartners.Gp, TestPartners.Housing, consentFor: TestPartners.Housing);
        Assert.Equal(HttpStatusCode.OK, (await _housing.GetAsync($"Patient/{referral.Patient.Id}")).StatusCode);

        referral.Consent!.Status = Consent.ConsentState.Inactive;
        using (var revoked = await _gpA.PutAsync($"Consent/{referral.Consent.Id}", referral.Consent))
        {
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await _housing.GetAsync($"Patient/{referral.Patient.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _housing.GetAsync($"ServiceRequest/{referral.Request.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _housing.GetAsync($"Task/{referral.Task.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_partner_cannot_write_in_another_partners_name_nor_touch_what_it_cannot_see()
    {
        var inGpsName = Resources.ServiceRequest(_a.Patient.Id, TestPartners.Gp, TestPartners.Housing);
        using var forged = await _housing.PostAsync("ServiceRequest", inGpsName);
        using var update = await _gpB.PutAsync($"Patient/{_a.Patient.Id}", _a.Patient);
        using var delete = await _gpB.DeleteAsync($"Patient/{_a.Patient.Id}");

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal("ServiceRequest.requester", (await forged.ReadOutcomeAsync()).Issue[0].Expression.Single());
        Assert.Equal(HttpStatusCode.NotFound, update.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _gpA.GetAsync($"Patient/{_a.Patient.Id}")).StatusCode);
        Assert.Equal("1", (await (await _gpA.GetAsync($"Patient/{_a.Patient.Id}")).ReadResourceAsync<Patient>()).Meta.VersionId);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
    }

    [Fact]
    public async Task The_gateways_own_resources_are_not_found_by_a_partner_writing_to_them()
    {
        await using var command = gateway.Database.CreateCommand("select resource_id from resource where created_by is null and resource_type = 'AuditEvent' limit 1");
        var auditEventId = (string?)await command.ExecuteScalarAsync();
        for (var i = 0; auditEventId is null && i < 50; i++)
        {
            await System.Threading.Tasks.Task.Delay(100);
            auditEventId = (string?)await command.ExecuteScalarAsync();
        }

        using var update = await _gpB.PutAsync($"AuditEvent/{auditEventId}", new AuditEvent { Id = auditEventId, Type = new Coding("http://x", "y"), Recorded = DateTimeOffset.UtcNow, Agent = [new() { Requestor = true }], Source = new() { Observer = new ResourceReference { Display = "x" } } });

        Assert.Equal(HttpStatusCode.NotFound, update.StatusCode);
    }

    [Fact]
    public async Task An_operator_reads_no_clinical_resource()
    {
        using var ops = await gateway.CreateClientAsync(TestPartners.Operator, "system/AuditEvent.rs system/Provenance.rs system/Organization.rs");

        using var patient = await ops.GetAsync($"Patient/{_a.Patient.Id}");

        Assert.Equal(HttpStatusCode.Forbidden, patient.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ops.GetAsync($"Organization/{TestPartners.Gp}")).StatusCode);
    }

    private static async Task AssertInvisible(HttpClient client, IEnumerable<Resource> resources)
    {
        foreach (var resource in resources)
        {
            var url = $"{resource.TypeName}/{resource.Id}";
            Assert.True((await client.GetAsync(url)).StatusCode == HttpStatusCode.NotFound, $"read {url}");
            Assert.True((await client.GetAsync($"{url}/_history/1")).StatusCode == HttpStatusCode.NotFound, $"vread {url}");
            Assert.True((await client.GetAsync($"{url}/_history")).StatusCode == HttpStatusCode.NotFound, $"history {url}");
            Assert.DoesNotContain(resource.Id, (await client.SearchAsync($"{resource.TypeName}?_count=500")).MatchIds());
            Assert.DoesNotContain(resource.Id, (await client.SearchAsync($"{resource.TypeName}?_id={resource.Id}")).MatchIds());
            Assert.DoesNotContain(IdsOf(await client.SearchAsync($"{resource.TypeName}/_history?_count=500")), id => id == resource.Id);

            var transaction = new Bundle
            {
                Type = Bundle.BundleType.Transaction,
                Entry = [new() { Request = new() { Method = Bundle.HTTPVerb.GET, Url = url } }],
            };
            using var response = await client.PostAsync("", transaction);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"transaction GET {url}: {(int)response.StatusCode}");
        }

        // Through what the client may search: includes and revincludes of its own resources bring none of them.
        var ids = resources.Select(r => r.Id).ToHashSet();
        foreach (var query in new[] { "Task?_include=Task:*&_count=500", "ServiceRequest?_revinclude=Task:focus&_revinclude=QuestionnaireResponse:based-on&_include=ServiceRequest:*&_count=500", "Patient?_revinclude=Consent:patient&_count=500" })
        {
            Assert.DoesNotContain(IdsOf(await client.SearchAsync(query)), ids.Contains);
        }
    }

    private static IEnumerable<string> IdsOf(Bundle bundle) => bundle.Entry.Where(e => e.Resource is not null).Select(e => e.Resource.Id);

    private static async Task<Referral> CreateReferral(HttpClient gp, string gpId, string providerId, string? consentFor)
    {
        var patient = await gp.CreateAsync(Resources.Patient());
        Consent? consent = null;
        if (consentFor is not null)
        {
            consent = await gp.CreateAsync(Resources.Consent(patient.Id, consentFor, new Period { Start = "2026-01-01", End = "2099-12-31" }));
        }

        var request = await gp.CreateAsync(Resources.ServiceRequest(patient.Id, gpId, providerId));
        var createdTask = await gp.ReferralTaskAsync(request.Id);
        var response = await gp.CreateAsync(Resources.Ons4(request.Id, patient.Id));
        return new Referral(patient, consent, request, createdTask, response);
    }
}
