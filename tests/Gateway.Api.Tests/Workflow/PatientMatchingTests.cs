using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Workflow;

/// <summary>SPEC §5 patient matching: one person, one Patient, across referrals and practices; conflicts flagged, never merged.</summary>
public sealed class PatientMatchingTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    [Fact]
    public async Task A_new_referral_for_a_known_nhs_number_and_birth_date_reuses_the_patient()
    {
        var nhsNumber = Resources.NewNhsNumber();
        var first = await gateway.Client.CreateAsync(Resources.Patient(nhsNumber));

        using var again = await gateway.Client.PostAsync("Patient", Resources.Patient(nhsNumber));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(first.Id, (await again.ReadResourceAsync<Patient>()).Id);
        Assert.Single((await gateway.Client.SearchAsync($"Patient?identifier={PatientMatchingSystems.Nhs}|{nhsNumber}")).Entry);
    }

    [Fact]
    public async Task Another_practices_referral_bundle_for_the_same_person_reuses_the_patient_it_cannot_see_yet()
    {
        var otherGp = await gateway.CreateClientAsync(TestPartners.OtherGp);
        var referral = await Referrals.SendUkSampleAsync(gateway.Client);
        var patient = await (await gateway.Client.GetAsync($"Patient/{referral.PatientId}")).ReadResourceAsync<Patient>();
        var nhsNumber = patient.Identifier.Single().Value;
        var request = Resources.ServiceRequest("placeholder", TestPartners.OtherGp);
        request.Subject = new ResourceReference("urn:uuid:0b7a3d52-8a51-4d86-9c6f-5d2f1e0a9b11");
        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Transaction,
            Entry =
            [
                new() { FullUrl = "urn:uuid:0b7a3d52-8a51-4d86-9c6f-5d2f1e0a9b11", Resource = Resources.Patient(nhsNumber), Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Patient" } },
                new() { Resource = request, Request = new() { Method = Bundle.HTTPVerb.POST, Url = "ServiceRequest" } },
            ],
        };

        using var response = await otherGp.PostBundleAsync(bundle);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.ReadResourceAsync<Bundle>();
        Assert.Equal("200 OK", result.Entry[0].Response.Status);
        Assert.StartsWith($"Patient/{referral.PatientId}", result.Entry[0].Response.Location, StringComparison.Ordinal);
        Assert.Equal($"Patient/{referral.PatientId}", (await otherGp.ReferralTaskAsync(result.Entry[1].Response.Location.Split('/')[1])).For.Reference);
    }

    [Fact]
    public async Task The_same_nhs_number_with_another_birth_date_is_stored_apart_tagged_and_linked()
    {
        var nhsNumber = Resources.NewNhsNumber();
        var first = await gateway.Client.CreateAsync(Resources.Patient(nhsNumber));
        var conflicting = Resources.Patient(nhsNumber);
        conflicting.BirthDate = "1951-03-09";

        using var response = await gateway.Client.PostAsync("Patient", conflicting, ("If-None-Exist", $"identifier={PatientMatchingSystems.Nhs}|{nhsNumber}"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var second = await response.ReadResourceAsync<Patient>();
        Assert.NotEqual(first.Id, second.Id);
        Assert.Contains(second.Meta.Tag, t => t.Code == "identity-conflict");
        Assert.Equal($"Patient/{first.Id}", second.Link.Single().Other.Reference);
        Assert.Equal("1951-03-08", (await (await gateway.Client.GetAsync($"Patient/{first.Id}")).ReadResourceAsync<Patient>()).BirthDate);
        var flagged = await gateway.Client.SearchAsync("Patient?_tag=https://interop-gateway.example/fhir/CodeSystem/patient-match|identity-conflict");
        Assert.Contains(second.Id, flagged.MatchIds());
    }
}

internal static class PatientMatchingSystems
{
    public const string Nhs = "https://fhir.nhs.uk/Id/nhs-number";
}
