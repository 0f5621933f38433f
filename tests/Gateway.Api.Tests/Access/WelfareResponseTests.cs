using System.Net;
using Gateway.Fhir.Access;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Access;

/// <summary>
/// Issue 16 (C, E): data minimisation at any depth of every response a welfare client gets (SPEC §8):
/// nested bundles, includes, history, and a BSN written under its OID as much as under its URI.
/// </summary>
public sealed class WelfareResponseTests(WelfareReferralApp gateway) : IClassFixture<WelfareReferralApp>
{
    [Fact]
    public async System.Threading.Tasks.Task A_search_nested_in_a_batch_gives_the_client_number_not_the_bsn()
    {
        var batch = Batch(Bundle.BundleType.Batch, $"Patient?family={Uri.EscapeDataString(WelfareReferralApp.Family)}");

        var nested = (Bundle)(await ReadBundleAsync(batch)).Entry.Single().Resource;

        var patients = nested.Entry.Select(e => e.Resource).OfType<Patient>().ToList();
        Assert.Equal(2, patients.Count);
        Assert.All(patients, Pseudonymised);
    }

    [Fact]
    public async System.Threading.Tasks.Task An_include_in_a_transaction_gives_the_client_number_not_the_bsn()
    {
        var transaction = Batch(Bundle.BundleType.Transaction, "Task?_include=Task:patient");

        var nested = (Bundle)(await ReadBundleAsync(transaction)).Entry.Single().Resource;

        var patients = nested.Entry.Select(e => e.Resource).OfType<Patient>().ToList();
        Assert.Equal(2, patients.Count);
        Assert.All(patients, Pseudonymised);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_bsn_under_its_oid_is_masked_on_read_vread_and_history()
    {
        var id = gateway.ByOid.PatientId;

        var read = await (await gateway.Welfare.GetAsync($"Patient/{id}")).ReadResourceAsync<Patient>();
        var vread = await (await gateway.Welfare.GetAsync($"Patient/{id}/_history/1")).ReadResourceAsync<Patient>();
        var history = (Patient)(await (await gateway.Welfare.GetAsync($"Patient/{id}/_history")).ReadResourceAsync<Bundle>()).Entry[0].Resource;

        Assert.All(new Patient[] { read, vread, history! }, Pseudonymised);
        var atGp = await (await gateway.Client.GetAsync($"Patient/{id}")).ReadResourceAsync<Patient>();
        Assert.Contains(atGp.Identifier, i => i.System == BsnSystems.Oid && i.Value == gateway.OidBsn);
    }

    public static TheoryData<string> Reads() => new()
    {
        "Patient/{uri}", "Patient/{oid}", "Patient/{oid}?_format=xml", "Patient/{uri}?_pretty=true",
        "Patient/{uri}/_history/1", "Patient/{oid}/_history", "Patient/_history", "_history",
        "Patient?family=de%20Vries", "Patient?family=de%20Vries&_format=xml", "Patient?family=de%20Vries&_elements=identifier",
        "Task?_include=Task:patient", "Task?_include=Task:patient&_pretty=true",
        "ServiceRequest?_include=ServiceRequest:subject", "QuestionnaireResponse?_include=QuestionnaireResponse:subject",
        "Task?_revinclude=Provenance:target&_include=Task:patient&_include=Task:focus",
    };

    [Theory]
    [MemberData(nameof(Reads))]
    public async System.Threading.Tasks.Task No_read_or_search_holds_a_bsn_anywhere(string query)
    {
        var path = query.Replace("{uri}", gateway.ByUri.PatientId, StringComparison.Ordinal).Replace("{oid}", gateway.ByOid.PatientId, StringComparison.Ordinal);

        using var response = await gateway.Welfare.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await AssertNoBsnAsync(response);
    }

    [Fact]
    public async System.Threading.Tasks.Task No_batch_or_transaction_response_holds_a_bsn_anywhere()
    {
        var urls = new[]
        {
            $"Patient/{gateway.ByUri.PatientId}", $"Patient/{gateway.ByOid.PatientId}/_history/1",
            "Patient?family=de%20Vries", "Task?_include=Task:patient", "ServiceRequest?_include=ServiceRequest:subject",
        };

        foreach (var type in new[] { Bundle.BundleType.Batch, Bundle.BundleType.Transaction })
        {
            using var response = await gateway.Welfare.PostBundleAsync(Batch(type, urls));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await AssertNoBsnAsync(response);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task The_gp_sees_both_bsns_so_the_walk_is_not_vacuous()
    {
        var body = await (await gateway.Client.GetAsync("Patient?family=de%20Vries")).Content.ReadAsStringAsync();

        Assert.Contains(gateway.Bsn, body, StringComparison.Ordinal);
        Assert.Contains(gateway.OidBsn, body, StringComparison.Ordinal);
    }

    [Fact]
    public void Parameters_and_contained_resources_are_masked_at_any_depth()
    {
        var welfare = new CallingPartner("w", TestPartners.Welfare, "welfare-organisation", SmartScopes.Parse(null));
        var contained = new Patient { Id = "p", Identifier = [new Identifier(BsnSystems.Oid, gateway.OidBsn)] };
        var task = new Hl7.Fhir.Model.Task { Id = "t", Contained = [contained], For = new ResourceReference("Patient/x") { Identifier = new Identifier(BsnSystems.Uri, gateway.Bsn) } };
        var nested = new Bundle { Type = Bundle.BundleType.Searchset, Entry = [new() { Resource = task }] };
        var parameters = new Parameters();
        parameters.Parameter.Add(new() { Name = "result", Part = [new() { Name = "bundle", Resource = nested }] });
        parameters.Add("patient", new Identifier("urn:oid:2.16.840.1.113883.2.4.6.3", gateway.OidBsn));

        var sent = Gateway.Fhir.Serialization.FhirSerialization.ToJson(DataMinimisation.ForPartner(parameters, welfare));

        Assert.DoesNotContain(gateway.Bsn, sent, StringComparison.Ordinal);
        Assert.DoesNotContain(gateway.OidBsn, sent, StringComparison.Ordinal);
        Assert.Contains(DataMinimisation.ClientNumber("x"), sent, StringComparison.Ordinal);
        Assert.Contains(gateway.OidBsn, Gateway.Fhir.Serialization.FhirSerialization.ToJson(parameters), StringComparison.Ordinal);
    }

    private async System.Threading.Tasks.Task AssertNoBsnAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(gateway.Bsn, body, StringComparison.Ordinal);
        Assert.DoesNotContain(gateway.OidBsn, body, StringComparison.Ordinal);
    }

    private void Pseudonymised(Patient patient)
    {
        Assert.DoesNotContain(patient.Identifier, i => BsnSystems.IsBsn(i.System));
        Assert.Contains(patient.Identifier, i => i.System == DataMinimisation.ClientNumberSystem && i.Value == DataMinimisation.ClientNumber(patient.Id));
    }

    private static Bundle Batch(Bundle.BundleType type, params string[] urls) => new()
    {
        Type = type,
        Entry = urls.Select(url => new Bundle.EntryComponent { Request = new() { Method = Bundle.HTTPVerb.GET, Url = url } }).ToList(),
    };

    private async Task<Bundle> ReadBundleAsync(Bundle request)
    {
        using var response = await gateway.Welfare.PostBundleAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadResourceAsync<Bundle>();
    }
}
