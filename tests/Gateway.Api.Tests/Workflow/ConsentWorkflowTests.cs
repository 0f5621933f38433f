using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Api.Tests.Workflow;

/// <summary>SPEC §5 consent: no active Consent naming the provider, no personal data for it, and the Task waits.</summary>
public sealed class ConsentWorkflowTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private readonly HttpClient _gp = gateway.Client;

    [Fact]
    public async Task Without_consent_the_task_is_on_hold_and_the_provider_sees_nothing_but_the_task()
    {
        var referral = await Referrals.SendUkSampleAsync(_gp, withConsent: false);
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);

        var task = await housing.ReferralTaskAsync(referral.RequestId);

        Assert.Equal(FhirTask.TaskStatus.OnHold, task.Status);
        Assert.Equal("awaiting-consent", task.BusinessStatus.Coding.Single().Code);
        Assert.Contains("No active Consent", task.StatusReason.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await housing.GetAsync($"Patient/{referral.PatientId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await housing.GetAsync($"ServiceRequest/{referral.RequestId}")).StatusCode);
        var included = await housing.SearchAsync($"Task?_id={task.Id}&_include=Task:patient&_include=Task:focus");
        Assert.Equal([task.Id], included.Entry.Select(e => e.Resource.Id));
    }

    [Fact]
    public async Task The_provider_cannot_start_a_task_held_for_consent()
    {
        var referral = await Referrals.SendUkSampleAsync(_gp, withConsent: false);
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var task = await housing.ReferralTaskAsync(referral.RequestId);

        using var response = await Referrals.PutAsync(housing, task, FhirTask.TaskStatus.Accepted);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Consent_given_later_releases_the_task_and_the_provider_sees_the_patient()
    {
        var referral = await Referrals.SendUkSampleAsync(_gp, withConsent: false);
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);

        await _gp.CreateAsync(Resources.Consent(referral.PatientId, TestPartners.Housing));

        var task = await housing.ReferralTaskAsync(referral.RequestId);
        Assert.Equal(FhirTask.TaskStatus.Requested, task.Status);
        Assert.Null(task.BusinessStatus);
        Assert.Null(task.StatusReason);
        Assert.Equal(HttpStatusCode.OK, (await housing.GetAsync($"Patient/{referral.PatientId}")).StatusCode);
        var release = (await _gp.SearchAsync($"Provenance?target=Task/{task.Id}")).Entry.Select(e => ((Provenance)e.Resource).Activity.Text);
        Assert.Contains(release, text => text.Contains("released to test-housing", StringComparison.Ordinal));
        await Referrals.MoveAsync(housing, task, FhirTask.TaskStatus.Accepted);
    }

    [Fact]
    public async Task A_consent_for_another_organisation_releases_nothing()
    {
        var referral = await Referrals.SendUkSampleAsync(_gp, withConsent: false);

        await _gp.CreateAsync(Resources.Consent(referral.PatientId, TestPartners.Welfare));

        Assert.Equal(FhirTask.TaskStatus.OnHold, (await _gp.ReferralTaskAsync(referral.RequestId)).Status);
    }

    [Fact]
    public async Task Revoking_the_consent_hides_the_patient_from_the_provider_again()
    {
        var referral = await Referrals.SendUkSampleAsync(_gp);
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        Assert.Equal(HttpStatusCode.OK, (await housing.GetAsync($"Patient/{referral.PatientId}")).StatusCode);
        var consent = await (await _gp.GetAsync($"Consent/{referral.ConsentId}")).ReadResourceAsync<Consent>();

        consent.Status = Consent.ConsentState.Inactive;
        using var revoked = await _gp.PutAsync($"Consent/{consent.Id}", consent);

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await housing.GetAsync($"Patient/{referral.PatientId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await housing.GetAsync($"ServiceRequest/{referral.RequestId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await housing.GetAsync($"Task/{(await _gp.ReferralTaskAsync(referral.RequestId)).Id}")).StatusCode);
    }
}
