using System.Net;
using Gateway.Api.Tests.Fhir;
using Gateway.Testing;
using Hl7.Fhir.Model;
using static Gateway.Api.Tests.Fhir.TransactionTests;

namespace Gateway.Api.Tests.Access;

/// <summary>
/// A write transaction derives the audience of what it wrote once, not once per resource (issue
/// 18): before anything inside it reads as a partner and before it commits. These are the reads a
/// partner makes inside its own transaction of what that transaction just wrote: each must find it.
/// </summary>
public sealed class TransactionAudienceTests(GatewayApp gateway) : IClassFixture<GatewayApp>, IAsyncLifetime
{
    private HttpClient _gp = null!;
    private HttpClient _otherGp = null!;

    public async System.Threading.Tasks.Task InitializeAsync()
    {
        _gp = gateway.Client;
        _otherGp = await gateway.CreateClientAsync(TestPartners.OtherGp);
    }

    public System.Threading.Tasks.Task DisposeAsync()
    {
        _otherGp.Dispose();
        return System.Threading.Tasks.Task.CompletedTask;
    }

    [Fact]
    public async System.Threading.Tasks.Task A_partner_reads_and_searches_a_resource_its_transaction_created_in_an_earlier_entry()
    {
        var patient = Resources.Patient(Resources.NewNhsNumber(), family: "Created-In-This-Bundle");
        patient.Id = Guid.NewGuid().ToString();

        using var response = await _gp.PostBundleAsync(Transaction(
            Entry(Bundle.HTTPVerb.GET, $"Patient/{patient.Id}"),
            Entry(Bundle.HTTPVerb.GET, $"Patient?_id={patient.Id}"),
            Entry(Bundle.HTTPVerb.PUT, $"Patient/{patient.Id}", patient)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.ReadResourceAsync<Bundle>();
        Assert.Equal(["200 OK", "200 OK", "201 Created"], result.Entry.Select(e => e.Response.Status));
        Assert.Equal("Created-In-This-Bundle", Assert.IsType<Patient>(result.Entry[0].Resource).Name[0].Family);
        Assert.Equal(patient.Id, Assert.IsType<Bundle>(result.Entry[1].Resource).Entry.Single().Resource.Id);

        // And once it committed: its creator reads it, another GP does not know it.
        Assert.Equal(HttpStatusCode.OK, (await _gp.GetAsync($"Patient/{patient.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _otherGp.GetAsync($"Patient/{patient.Id}")).StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_search_entry_after_a_referral_finds_it_through_the_patient_the_same_transaction_created()
    {
        var bundle = FhirHttp.Parse<Bundle>((await GpReferral.PrepareAsync(_gp)).Json);
        var nhsNumber = bundle.Entry.Select(e => e.Resource).OfType<Patient>().Single().Identifier.First(i => i.System == "https://fhir.nhs.uk/Id/nhs-number").Value;
        var referral = bundle.Entry.Select(e => e.Resource).OfType<ServiceRequest>().Single().Identifier[0];
        // A chain reads the audience of the referral and of the patient it points at, both written by this bundle.
        bundle.Entry.Add(Entry(Bundle.HTTPVerb.GET,
            $"ServiceRequest?identifier={Uri.EscapeDataString(referral.System + "|" + referral.Value)}&subject.identifier={Uri.EscapeDataString("https://fhir.nhs.uk/Id/nhs-number|" + nhsNumber)}"));

        using var response = await _gp.PostBundleAsync(bundle);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.ReadResourceAsync<Bundle>();
        var found = Assert.IsType<Bundle>(result.Entry[^1].Resource);
        Assert.Equal(result.Entry.Single(e => e.Resource is ServiceRequest).Resource.Id, found.Entry.Single().Resource.Id);
    }

    // The referral's patient check reads as the GP through PartnerVisibility without deriving the
    // audience first when all the bundle wrote so far is the GP's own new resources (PendingAudience):
    // the referral still goes through and is routed, and the Patient stays the GP's alone.
    [Fact]
    public async System.Threading.Tasks.Task A_referral_of_the_patient_its_own_bundle_created_is_routed_and_that_patient_stays_hidden_from_another_GP()
    {
        var sample = await GpReferral.PrepareAsync(_gp);

        using var response = await _gp.PostBundleAsync(FhirHttp.Parse<Bundle>(sample.Json));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.ReadResourceAsync<Bundle>();
        Assert.All(result.Entry, e => Assert.Equal("201 Created", e.Response.Status));
        var patientId = result.Entry[0].Response.Location.Split('/')[1];
        var requestId = result.Entry[2].Response.Location.Split('/')[1];
        var tasks = await (await _gp.GetAsync($"Task?based-on=ServiceRequest/{requestId}")).ReadResourceAsync<Bundle>();
        // The test partners' routing rule sends the sample's postcode to the housing association.
        Assert.Equal($"Organization/{TestPartners.Housing}", Assert.IsType<Hl7.Fhir.Model.Task>(Assert.Single(tasks.Entry).Resource).Owner.Reference);

        Assert.Equal(HttpStatusCode.NotFound, (await _otherGp.GetAsync($"Patient/{patientId}")).StatusCode);
        using var foreign = await _otherGp.PostAsync("ServiceRequest", Resources.ServiceRequest(patientId, TestPartners.OtherGp, sample.ProviderId));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, foreign.StatusCode);
        Assert.Equal($"ServiceRequest.subject refers to Patient/{patientId}, which is not known to this server.", (await foreign.ReadOutcomeAsync()).Issue[0].Diagnostics);
    }

    // The check of what a bundle points at is skipped only when every such reference is to a
    // resource the bundle itself created for the same partner (issue 18, ninth pass): one reference
    // to another GP's Patient beside the bundle's own new ones is still refused as unknown.
    [Fact]
    public async System.Threading.Tasks.Task A_bundle_whose_consent_names_another_GPs_patient_beside_its_own_new_patient_is_refused()
    {
        var foreign = await _otherGp.CreateAsync(Resources.Patient(Resources.NewNhsNumber()));
        var bundle = FhirHttp.Parse<Bundle>((await GpReferral.PrepareAsync(_gp)).Json);
        bundle.Entry.Select(e => e.Resource).OfType<Consent>().Single().Patient = new ResourceReference($"Patient/{foreign.Id}");

        using var response = await _gp.PostBundleAsync(bundle);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal($"Consent.patient refers to Patient/{foreign.Id}, which is not known to this server.", (await response.ReadOutcomeAsync()).Issue[0].Diagnostics);
        var nhsNumber = bundle.Entry.Select(e => e.Resource).OfType<Patient>().Single().Identifier.First(i => i.System == "https://fhir.nhs.uk/Id/nhs-number").Value;
        Assert.Empty((await _gp.SearchAsync($"Patient?identifier={Uri.EscapeDataString("https://fhir.nhs.uk/Id/nhs-number|" + nhsNumber)}")).Entry);
    }
}
