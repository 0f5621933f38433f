using Gateway.Jobs.ServiceDirectory;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Api.Tests.ServiceDirectory;

/// <summary>SPEC §11: routing by service (named, or by category and area among services with capacity), and the no-capacity hold.</summary>
public sealed class DirectoryRoutingTests(DirectoryGatewayApp gateway) : IClassFixture<DirectoryGatewayApp>
{
    private readonly HttpClient _gp = gateway.Client;

    private async Task<(string PatientId, ServiceRequest Request)> ReferAsync(string postcode, string? performer = null)
    {
        var patient = Resources.Patient();
        patient.Address[0].PostalCode = postcode;
        var stored = await _gp.CreateAsync(patient);
        var request = Resources.ServiceRequest(stored.Id, TestPartners.Gp);
        if (performer is not null)
        {
            request.Performer = [new ResourceReference(performer)];
        }

        return (stored.Id, await _gp.CreateAsync(request));
    }

    private async Task<string> RoutingProvenanceAsync(FhirTask task) =>
        string.Join(" | ", (await _gp.SearchAsync($"Provenance?target=Task/{task.Id}")).Entry.Select(e => ((Provenance)e.Resource).Activity.Text));

    [Fact]
    public async System.Threading.Tasks.Task A_referral_naming_a_service_goes_to_the_organisation_providing_it()
    {
        var welfare = await gateway.CreateClientAsync(TestPartners.Welfare);
        var service = await DirectoryEntries.PublishAsync(welfare, TestPartners.Welfare, "Taalcafe", "befriending", "8261 EP", city: "Kampen");

        // A Walsall patient, whom the postcode rules would give to the housing provider.
        var (_, request) = await ReferAsync("WS2 8LD", $"HealthcareService/{service.Id}");

        var task = await _gp.ReferralTaskAsync(request.Id);
        Assert.Equal($"Organization/{TestPartners.Welfare}", task.Owner.Reference);
        var why = await RoutingProvenanceAsync(task);
        Assert.Contains($"HealthcareService/{service.Id}", why, StringComparison.Ordinal);
        Assert.Contains("the ServiceRequest's performer", why, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_category_rule_chooses_among_the_services_with_capacity_in_its_area()
    {
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var welfare = await gateway.CreateClientAsync(TestPartners.Welfare);
        var full = await DirectoryEntries.PublishAsync(housing, TestPartners.Housing, "Willenhall Friends", "befriending", "WV12 4AA", accepts: false, waitDays: 1);
        var open = await DirectoryEntries.PublishAsync(welfare, TestPartners.Welfare, "Willenhall Tea Club", "befriending", "WV12 5BB", accepts: true, waitDays: 10);
        await DirectoryEntries.PublishAsync(housing, TestPartners.Housing, "Willenhall Phone Buddies", "befriending", "WV12 6CC", accepts: true, waitDays: 20);

        var (_, request) = await ReferAsync("WV12 7DD");

        var task = await _gp.ReferralTaskAsync(request.Id);
        Assert.Equal($"Organization/{TestPartners.Welfare}", task.Owner.Reference);
        var why = await RoutingProvenanceAsync(task);
        Assert.Contains($"HealthcareService/{open.Id}", why, StringComparison.Ordinal);
        Assert.Contains("routing rule 1", why, StringComparison.Ordinal);
        Assert.Contains("1 without capacity skipped", why, StringComparison.Ordinal);
        Assert.DoesNotContain(full.Id, why, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task When_every_service_is_full_the_referral_is_held_then_released_when_capacity_returns()
    {
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var choir = await DirectoryEntries.PublishAsync(housing, TestPartners.Housing, "Aldridge Choir", "music", "WS9 8AA", accepts: false);
        await DirectoryEntries.PublishAsync(housing, TestPartners.Housing, "Aldridge Ukulele Group", "music", "WS9 0BB", accepts: false);

        var (patientId, request) = await ReferAsync("WS9 8LD");

        var held = await _gp.ReferralTaskAsync(request.Id);
        Assert.Equal(FhirTask.TaskStatus.OnHold, held.Status);
        Assert.Null(held.Owner);
        Assert.Equal("no-capacity", held.BusinessStatus.Coding.Single().Code);
        Assert.Contains("none of the 2 'music' services", held.StatusReason.Text, StringComparison.Ordinal);

        // Nothing changes while the services are full.
        var job = gateway.Services.GetRequiredService<CapacityReleaseJob>();
        Assert.Equal(0, await job.RunAsync(CancellationToken.None));
        Assert.Equal(FhirTask.TaskStatus.OnHold, (await _gp.ReferralTaskAsync(request.Id)).Status);

        using (var patched = await DirectoryEntries.PatchCapacityAsync(housing, choir.Id, accepts: true, waitDays: 14))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, patched.StatusCode);
        }

        await _gp.CreateAsync(Resources.Consent(patientId, TestPartners.Housing));
        Assert.Equal(1, await job.RunAsync(CancellationToken.None));

        var released = await _gp.ReferralTaskAsync(request.Id);
        Assert.Equal($"Organization/{TestPartners.Housing}", released.Owner.Reference);
        Assert.Equal(FhirTask.TaskStatus.Requested, released.Status);
        Assert.Null(released.BusinessStatus);
        Assert.Contains($"Capacity returned. Routed to {TestPartners.Housing}, the provider of HealthcareService/{choir.Id}", await RoutingProvenanceAsync(released), StringComparison.Ordinal);
        Assert.Equal(request.Id, (await housing.ReferralTaskAsync(request.Id)).Focus.Reference.Split('/')[1]);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_named_service_that_takes_no_referrals_holds_the_referral()
    {
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var service = await DirectoryEntries.PublishAsync(housing, TestPartners.Housing, "Full Counselling", "counselling", "WS1 1AA", accepts: false);

        var (_, request) = await ReferAsync("WS1 2BB", $"HealthcareService/{service.Id}");

        var task = await _gp.ReferralTaskAsync(request.Id);
        Assert.Equal("no-capacity", task.BusinessStatus.Coding.Single().Code);
        Assert.Null(task.Owner);
    }
}
