using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Access;

/// <summary>
/// The audience the store keeps for each resource (docs/security.md): who may read it, who may
/// change it and while when, followed through the workflow's changes, and what a partner's write
/// may point at.
/// </summary>
public sealed class AudienceTests(GatewayApp gateway) : IClassFixture<GatewayApp>, IAsyncLifetime
{
    private HttpClient _gp = null!;
    private HttpClient _housing = null!;
    private HttpClient _welfare = null!;

    public async System.Threading.Tasks.Task InitializeAsync()
    {
        _gp = gateway.Client;
        _housing = await gateway.CreateClientAsync(TestPartners.Housing);
        _welfare = await gateway.CreateClientAsync(TestPartners.Welfare);
    }

    public System.Threading.Tasks.Task DisposeAsync()
    {
        _housing.Dispose();
        _welfare.Dispose();
        return System.Threading.Tasks.Task.CompletedTask;
    }

    public static TheoryData<string, string, bool> ConsentPeriods => new()
    {
        { "2026-01-01", "2099-12-31", true },
        { "2020-01-01", "2021-12-31", false }, // ended
        { "2098-01-01", "2099-12-31", false }, // not begun
    };

    [Theory]
    [MemberData(nameof(ConsentPeriods))]
    public async System.Threading.Tasks.Task The_provider_sees_the_patient_only_within_the_consents_period(string start, string end, bool visible)
    {
        var (patient, request, task, _) = await Referral(new Period { Start = start, End = end });

        var expected = visible ? HttpStatusCode.OK : HttpStatusCode.NotFound;
        Assert.Equal(expected, (await _housing.GetAsync($"Patient/{patient.Id}")).StatusCode);
        Assert.Equal(expected, (await _housing.GetAsync($"ServiceRequest/{request.Id}")).StatusCode);
        Assert.Equal(visible, (await _housing.SearchAsync($"Task?_id={task.Id}&_include=Task:patient")).Entry.Any(e => e.Resource is Patient));
        Assert.Equal(HttpStatusCode.OK, (await _housing.GetAsync($"Task/{task.Id}")).StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_provider_that_may_read_the_gps_patient_may_not_change_it()
    {
        var (patient, _, _, _) = await Referral(new Period { Start = "2026-01-01", End = "2099-12-31" });
        var changed = (Patient)patient.DeepCopy();
        changed.Name[0].Family = "Changed by the provider";

        using var update = await _housing.PutAsync($"Patient/{patient.Id}", changed);
        using var delete = await _housing.DeleteAsync($"Patient/{patient.Id}");

        Assert.Equal(HttpStatusCode.Forbidden, update.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        var stored = await (await _gp.GetAsync($"Patient/{patient.Id}")).ReadResourceAsync<Patient>();
        Assert.Equal("1", stored.Meta.VersionId);
    }

    [Fact]
    public async System.Threading.Tasks.Task An_outcome_measure_on_another_providers_referral_is_refused_as_an_unknown_reference_and_the_gp_never_sees_it()
    {
        var (patient, request, _, _) = await Referral(new Period { Start = "2026-01-01", End = "2099-12-31" }, TestPartners.Welfare);

        using var foreign = await _housing.PostAsync("QuestionnaireResponse", Resources.Ons4(request.Id, patient.Id));
        using var unknown = await _housing.PostAsync("QuestionnaireResponse", Resources.Ons4("no-such-request", patient.Id));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, foreign.StatusCode);
        Assert.Equal(unknown.StatusCode, foreign.StatusCode);
        Assert.Equal((await unknown.ReadOutcomeAsync()).Issue[0].Diagnostics,
            (await foreign.ReadOutcomeAsync()).Issue[0].Diagnostics.Replace(request.Id, "no-such-request", StringComparison.Ordinal));
        Assert.Empty((await _gp.SearchAsync($"QuestionnaireResponse?based-on=ServiceRequest/{request.Id}")).MatchIds());
    }

    [Fact]
    public async System.Threading.Tasks.Task The_owning_provider_adds_an_outcome_measure_and_the_gp_sees_it()
    {
        var (patient, request, _, _) = await Referral(new Period { Start = "2026-01-01", End = "2099-12-31" });

        var measure = await _housing.CreateAsync(Resources.Ons4(request.Id, patient.Id));

        Assert.Contains(measure.Id, (await _gp.SearchAsync($"QuestionnaireResponse?based-on=ServiceRequest/{request.Id}")).MatchIds());
        Assert.DoesNotContain(measure.Id, (await _welfare.SearchAsync("QuestionnaireResponse?_count=500")).MatchIds());
    }

    [Fact]
    public async System.Threading.Tasks.Task After_the_consent_is_revoked_the_provider_still_moves_its_own_task()
    {
        var (_, _, task, consent) = await Referral(new Period { Start = "2026-01-01", End = "2099-12-31" });
        var accepted = await Workflow.Referrals.MoveAsync(_housing, task, Hl7.Fhir.Model.Task.TaskStatus.Accepted);
        consent.Status = Consent.ConsentState.Inactive;
        using (var revoked = await _gp.PutAsync($"Consent/{consent.Id}", consent))
        {
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }

        var started = await Workflow.Referrals.MoveAsync(_housing, accepted, Hl7.Fhir.Model.Task.TaskStatus.InProgress);

        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.InProgress, started.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _housing.GetAsync(task.Focus.Reference)).StatusCode);
    }

    private async Task<(Patient Patient, ServiceRequest Request, Hl7.Fhir.Model.Task Task, Consent Consent)> Referral(Period consentPeriod, string provider = TestPartners.Housing)
    {
        var patient = await _gp.CreateAsync(Resources.Patient());
        var consent = await _gp.CreateAsync(Resources.Consent(patient.Id, provider, consentPeriod));
        var request = await _gp.CreateAsync(Resources.ServiceRequest(patient.Id, TestPartners.Gp, provider));
        return (patient, request, await _gp.ReferralTaskAsync(request.Id), consent);
    }
}
