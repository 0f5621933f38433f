using System.Net;
using Gateway.Fhir.Access;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Access;

/// <summary>A welfare organisation never receives the BSN: it gets the pseudonymous client number instead (SPEC §6, §8).</summary>
public sealed class DataMinimisationTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    [Fact]
    public async Task The_welfare_organisation_sees_a_client_number_where_the_gp_sees_the_bsn()
    {
        var (patient, task) = await DutchReferral();
        using var welfare = await gateway.CreateClientAsync(TestPartners.Welfare);

        var read = await (await welfare.GetAsync($"Patient/{patient.Id}")).ReadResourceAsync<Patient>();
        var included = (Patient)(await welfare.SearchAsync($"Task?_id={task.Id}&_include=Task:patient")).Entry.Single(e => e.Resource is Patient).Resource;
        var history = (Patient)(await (await welfare.GetAsync($"Patient/{patient.Id}/_history")).ReadResourceAsync<Bundle>()).Entry[0].Resource;
        var atGp = await (await gateway.Client.GetAsync($"Patient/{patient.Id}")).ReadResourceAsync<Patient>();

        foreach (var seen in new[] { read, included, history })
        {
            Assert.DoesNotContain(seen.Identifier, i => i.System == DataMinimisation.BsnSystem);
            Assert.Contains(seen.Identifier, i => i.System == DataMinimisation.ClientNumberSystem && i.Value == DataMinimisation.ClientNumber(patient.Id));
        }

        Assert.Contains(atGp.Identifier, i => i.System == DataMinimisation.BsnSystem);
    }

    [Fact]
    public async Task A_welfare_organisation_may_not_search_by_bsn()
    {
        using var welfare = await gateway.CreateClientAsync(TestPartners.Welfare);

        using var response = await welfare.GetAsync($"Patient?identifier={DataMinimisation.BsnSystem}|111222333");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Nor_by_a_search_entry_in_a_bundle()
    {
        using var welfare = await gateway.CreateClientAsync(TestPartners.Welfare);
        var batch = new Bundle
        {
            Type = Bundle.BundleType.Batch,
            Entry = [new() { Request = new() { Method = Bundle.HTTPVerb.GET, Url = $"Patient?identifier={DataMinimisation.BsnSystem}|111222333" } }],
        };

        var answer = await (await welfare.PostAsync("", batch)).ReadResourceAsync<Bundle>();

        Assert.StartsWith("403", answer.Entry.Single().Response.Status, StringComparison.Ordinal);
    }

    private async Task<(Patient, Hl7.Fhir.Model.Task)> DutchReferral()
    {
        var gp = gateway.Client;
        var dutch = Resources.Patient();
        dutch.Identifier = [new Identifier(DataMinimisation.BsnSystem, "111222333")];
        var patient = await gp.CreateAsync(dutch);
        await gp.CreateAsync(Resources.Consent(patient.Id, TestPartners.Welfare));
        var request = await gp.CreateAsync(Resources.ServiceRequest(patient.Id, TestPartners.Gp, TestPartners.Welfare));
        var task = await gp.ReferralTaskAsync(request.Id);
        return (patient, task);
    }
}
