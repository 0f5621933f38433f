using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Workflow;

/// <summary>SPEC §5 patient matching: one person, one Patient, across the referrals of those who may see it; conflicts never merged.</summary>
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
    public async Task The_same_nhs_number_with_another_birth_date_is_stored_apart()
    {
        var nhsNumber = Resources.NewNhsNumber();
        var first = await gateway.Client.CreateAsync(Resources.Patient(nhsNumber));
        var conflicting = Resources.Patient(nhsNumber);
        conflicting.BirthDate = "1951-03-09";

        using var response = await gateway.Client.PostAsync("Patient", conflicting, ("If-None-Exist", $"identifier={PatientMatchingSystems.Nhs}|{nhsNumber}"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var second = await response.ReadResourceAsync<Patient>();
        Assert.NotEqual(first.Id, second.Id);
        // The link is for operators only (SPEC §8): MatchingNeverRevealsTests.
        Assert.Empty(second.Link);
        Assert.Equal("1951-03-08", (await (await gateway.Client.GetAsync($"Patient/{first.Id}")).ReadResourceAsync<Patient>()).BirthDate);
    }
}

internal static class PatientMatchingSystems
{
    public const string Nhs = "https://fhir.nhs.uk/Id/nhs-number";
}
