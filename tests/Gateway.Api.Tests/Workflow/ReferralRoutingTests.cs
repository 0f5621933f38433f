using System.Net;
using System.Xml;
using Gateway.Testing;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Api.Tests.Workflow;

/// <summary>SPEC §5 referral intake: one Task per routed referral, made in the GP's own transaction.</summary>
public sealed class ReferralRoutingTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private readonly HttpClient _gp = gateway.Client;

    [Fact]
    public async Task A_referral_bundle_from_walsall_gets_one_task_for_the_housing_provider()
    {
        var referral = await Referrals.SendUkSampleAsync(_gp);

        var task = await _gp.ReferralTaskAsync(referral.RequestId);
        Assert.Equal(FhirTask.TaskStatus.Requested, task.Status);
        Assert.Equal($"Organization/{TestPartners.Housing}", task.Owner.Reference);
        Assert.Equal($"Organization/{TestPartners.Gp}", task.Requester.Reference);
        Assert.Equal($"ServiceRequest/{referral.RequestId}", task.Focus.Reference);
        Assert.Equal([$"ServiceRequest/{referral.RequestId}"], task.BasedOn.Select(b => b.Reference));
        Assert.Equal($"Patient/{referral.PatientId}", task.For.Reference);
        Assert.Equal("fulfill", task.Code.Coding.Single().Code);
        Assert.Equal(FhirTask.TaskIntent.Order, task.Intent);
        Assert.StartsWith("R-", task.Identifier.Single().Value, StringComparison.Ordinal);
        // The housing provider's SLA: accept within five days (P5D) of the referral.
        var authored = DateTimeOffset.Parse(task.AuthoredOn, System.Globalization.CultureInfo.InvariantCulture);
        var due = DateTimeOffset.Parse(task.Restriction.Period.End, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(XmlConvert.ToTimeSpan("P5D"), due - authored);
        Assert.Null(task.BusinessStatus);
    }

    [Fact]
    public async Task The_gateways_task_conforms_to_the_guides_referral_task_profile()
    {
        var referral = await Referrals.SendUkSampleAsync(_gp);
        var task = await _gp.ReferralTaskAsync(referral.RequestId);

        using var response = await _gp.PostAsync("Task/$validate", task);

        var outcome = await response.ReadOutcomeAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(outcome.Issue, i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal);
    }

    [Fact]
    public async Task The_housing_provider_sees_the_task_the_referral_and_the_patient()
    {
        var referral = await Referrals.SendUkSampleAsync(_gp);
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);

        var task = await housing.ReferralTaskAsync(referral.RequestId);

        Assert.Equal($"Organization/{TestPartners.Housing}", task.Owner.Reference);
        Assert.Equal(HttpStatusCode.OK, (await housing.GetAsync($"Patient/{referral.PatientId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await housing.GetAsync($"ServiceRequest/{referral.RequestId}")).StatusCode);
        var welfare = await gateway.CreateClientAsync(TestPartners.Welfare);
        Assert.Empty((await welfare.SearchAsync($"Task?focus=ServiceRequest/{referral.RequestId}")).Entry);
    }

    [Fact]
    public async Task A_dutch_referral_from_kampen_goes_to_the_welfare_organisation()
    {
        var referral = await Referrals.SendDutchAsync(_gp);

        var task = await _gp.ReferralTaskAsync(referral.RequestId);

        Assert.Equal($"Organization/{TestPartners.Welfare}", task.Owner.Reference);
        Assert.Equal(FhirTask.TaskStatus.Requested, task.Status);
        var welfare = await gateway.CreateClientAsync(TestPartners.Welfare);
        Assert.Equal(task.Id, (await welfare.ReferralTaskAsync(referral.RequestId)).Id);
    }

    [Fact]
    public async Task The_performer_the_gp_names_wins_over_the_routing_rules()
    {
        var patient = await _gp.CreateAsync(Resources.Patient());
        await _gp.CreateAsync(Resources.Consent(patient.Id, TestPartners.Welfare));

        var request = await _gp.CreateAsync(Resources.ServiceRequest(patient.Id, TestPartners.Gp, TestPartners.Welfare));

        Assert.Equal($"Organization/{TestPartners.Welfare}", (await _gp.ReferralTaskAsync(request.Id)).Owner.Reference);
    }

    [Fact]
    public async Task A_referral_no_rule_routes_is_kept_unowned_awaiting_routing_with_the_reason_for_operators()
    {
        var referral = await Referrals.SendUkSampleAsync(_gp, postcode: "LS1 4AP");

        var task = await _gp.ReferralTaskAsync(referral.RequestId);

        Assert.Null(task.Owner);
        Assert.Equal(FhirTask.TaskStatus.Requested, task.Status);
        Assert.Equal("awaiting-routing", task.BusinessStatus.Coding.Single().Code);
        Assert.Contains("no routing rule", task.StatusReason.Text, StringComparison.Ordinal);
        Assert.Contains("LS1 4AP", task.StatusReason.Text, StringComparison.Ordinal);
        var operators = await gateway.CreateClientAsync(TestPartners.Operator, "system/Task.rus system/Provenance.rs");
        var held = await operators.SearchAsync($"Task?_id={task.Id}");
        Assert.Equal([task.Id], held.MatchIds());
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        Assert.Equal(HttpStatusCode.NotFound, (await housing.GetAsync($"Task/{task.Id}")).StatusCode);
    }

    [Fact]
    public async Task Naming_a_performer_later_routes_the_held_referral_on_the_same_task()
    {
        var referral = await Referrals.SendUkSampleAsync(_gp, postcode: "LS1 4AP");
        var held = await _gp.ReferralTaskAsync(referral.RequestId);
        var request = await (await _gp.GetAsync($"ServiceRequest/{referral.RequestId}")).ReadResourceAsync<ServiceRequest>();

        request.Performer = [new ResourceReference($"Organization/{TestPartners.Housing}")];
        using var response = await _gp.PutAsync($"ServiceRequest/{request.Id}", request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var routed = await _gp.ReferralTaskAsync(referral.RequestId);
        Assert.Equal(held.Id, routed.Id);
        Assert.Equal($"Organization/{TestPartners.Housing}", routed.Owner.Reference);
        Assert.Equal(FhirTask.TaskStatus.Requested, routed.Status);
        Assert.Null(routed.BusinessStatus);
    }

    [Fact]
    public async Task A_second_active_referral_for_the_same_patient_service_and_requester_is_409_naming_the_first()
    {
        var patient = await _gp.CreateAsync(Resources.Patient());
        var first = await _gp.CreateAsync(Resources.ServiceRequest(patient.Id, TestPartners.Gp));
        var before = await gateway.CountResourcesAsync();

        using var response = await _gp.PostAsync("ServiceRequest", Resources.ServiceRequest(patient.Id, TestPartners.Gp));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var issue = (await response.ReadOutcomeAsync()).Issue.Single();
        Assert.Equal(OperationOutcome.IssueType.Duplicate, issue.Code);
        Assert.Contains($"ServiceRequest/{first.Id}", issue.Diagnostics, StringComparison.Ordinal);
        Assert.Equal(before, await gateway.CountResourcesAsync());
    }

    // A patient the transaction itself creates has no referral from before it: the check is spared
    // then, but not when the same transaction already wrote a referral of that patient.
    [Fact]
    public async Task Two_identical_referrals_of_a_patient_created_in_the_same_transaction_are_409_and_store_nothing()
    {
        var patientUrl = "urn:uuid:" + Guid.NewGuid();
        var first = Resources.ServiceRequest("x", TestPartners.Gp);
        first.Subject = new ResourceReference(patientUrl);
        var second = Resources.ServiceRequest("x", TestPartners.Gp);
        second.Subject = new ResourceReference(patientUrl);
        var before = await gateway.CountResourcesAsync();

        using var response = await _gp.PostBundleAsync(Fhir.TransactionTests.Transaction(
            Fhir.TransactionTests.Entry(Bundle.HTTPVerb.POST, "Patient", Resources.Patient(), fullUrl: patientUrl),
            Fhir.TransactionTests.Entry(Bundle.HTTPVerb.POST, "ServiceRequest", first),
            Fhir.TransactionTests.Entry(Bundle.HTTPVerb.POST, "ServiceRequest", second)));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("already has an active social prescription", (await response.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
        Assert.Equal(before, await gateway.CountResourcesAsync());
    }

    [Fact]
    public async Task Racing_duplicate_referrals_make_one_service_request_and_one_task()
    {
        var patient = await _gp.CreateAsync(Resources.Patient());

        var responses = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 4)
            .Select(_ => _gp.PostAsync("ServiceRequest", Resources.ServiceRequest(patient.Id, TestPartners.Gp))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Single((await _gp.SearchAsync($"Task?patient=Patient/{patient.Id}")).Entry);
    }

    [Fact]
    public async Task Routing_leaves_a_provenance_naming_the_rule_the_gp_and_its_client()
    {
        var referral = await Referrals.SendUkSampleAsync(_gp);
        var task = await _gp.ReferralTaskAsync(referral.RequestId);

        var provenance = (await _gp.SearchAsync($"Provenance?target=Task/{task.Id}")).Entry.Select(e => e.Resource).OfType<Provenance>().Single();

        Assert.Equal($"Task/{task.Id}/_history/1", provenance.Target.Single().Reference);
        Assert.Equal("CREATE", provenance.Activity.Coding.Single().Code);
        Assert.Contains("postcode areas WS1, WS2, WS3", provenance.Activity.Text, StringComparison.Ordinal);
        Assert.Equal($"ServiceRequest/{referral.RequestId}/_history/1", provenance.Entity.Single().What.Reference);
        Assert.All(provenance.Agent, a => Assert.Equal($"Organization/{TestPartners.Gp}", a.OnBehalfOf.Reference));
        Assert.Contains(provenance.Agent, a => a.Who.Identifier?.Value == TestPartners.Gp + "-client");
    }
}
