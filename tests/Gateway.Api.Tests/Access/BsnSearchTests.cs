using System.Net;
using Gateway.Fhir.Access;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Access;

/// <summary>
/// Issue 16 (D): a welfare client cannot search by a BSN in any form (SPEC §8). Every search path
/// that can reach a Patient's identifier, with every way of writing the BSN, sent every way a
/// search can be sent, finds nothing: a 403 for a BSN system, no match without one.
/// </summary>
public sealed class BsnSearchTests(WelfareReferralApp gateway) : IClassFixture<WelfareReferralApp>
{
    private static readonly string[] Paths =
    [
        "Patient?identifier={0}",
        "Task?patient.identifier={0}",
        "Task?patient:identifier={0}",
        "ServiceRequest?patient.identifier={0}",
        "ServiceRequest?subject:Patient.identifier={0}",
        "QuestionnaireResponse?patient.identifier={0}",
    ];

    // {0} is the BSN.
    private static readonly string[] Forms = ["{0}", BsnSystems.Uri + "|{0}", BsnSystems.Oid + "|{0}", "|{0}"];

    public enum Sent { Get, GetCount, PostSearch, InBatch }

    public static TheoryData<string, string, Sent> Searches()
    {
        var data = new TheoryData<string, string, Sent>();
        foreach (var path in Paths)
        {
            foreach (var form in Forms)
            {
                foreach (var sent in Enum.GetValues<Sent>())
                {
                    data.Add(path, form, sent);
                }
            }
        }

        return data;
    }

    [Fact]
    public async System.Threading.Tasks.Task The_paths_find_the_referral_for_the_gp_and_the_welfare_client_sees_it()
    {
        foreach (var path in Paths)
        {
            var query = string.Format(System.Globalization.CultureInfo.InvariantCulture, path, Uri.EscapeDataString(BsnSystems.Uri + "|" + gateway.Bsn));
            Assert.NotEmpty((await gateway.Client.SearchAsync(query)).MatchIds());
        }

        Assert.Single((await gateway.Welfare.SearchAsync($"Task?_id={gateway.ByUri.TaskId}")).MatchIds());
        Assert.Single((await gateway.Welfare.SearchAsync($"Patient?_id={gateway.ByUri.PatientId}")).MatchIds());
    }

    [Theory]
    [MemberData(nameof(Searches))]
    public async System.Threading.Tasks.Task A_welfare_client_searching_by_bsn_finds_nothing(string path, string form, Sent sent)
    {
        foreach (var bsn in new[] { gateway.Bsn, gateway.OidBsn })
        {
            var value = string.Format(System.Globalization.CultureInfo.InvariantCulture, form, bsn);
            var (status, found) = await SearchAsync(path, value, sent);

            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Forbidden, $"{sent} {path} with {value} answered {status}.");
            Assert.Equal(0, found);
            if (form == "{0}")
            {
                // Without a system nothing is refused: a refusal would confirm the value looks like a BSN.
                Assert.Equal(HttpStatusCode.OK, status);
            }
        }
    }

    private async Task<(HttpStatusCode Status, int Found)> SearchAsync(string path, string value, Sent sent)
    {
        var welfare = gateway.Welfare;
        var query = string.Format(System.Globalization.CultureInfo.InvariantCulture, path, Uri.EscapeDataString(value));
        switch (sent)
        {
            case Sent.Get or Sent.GetCount:
                using (var response = await welfare.GetAsync(sent == Sent.GetCount ? query + "&_summary=count" : query))
                {
                    return response.StatusCode == HttpStatusCode.OK ? (response.StatusCode, Found(await response.ReadResourceAsync<Bundle>())) : (response.StatusCode, 0);
                }

            case Sent.PostSearch:
                var type = query[..query.IndexOf('?', StringComparison.Ordinal)];
                var parameters = query[(query.IndexOf('?', StringComparison.Ordinal) + 1)..].Split('=', 2);
                using (var form = new FormUrlEncodedContent([KeyValuePair.Create(parameters[0], value)]))
                using (var response = await welfare.PostAsync($"{type}/_search", form))
                {
                    return response.StatusCode == HttpStatusCode.OK ? (response.StatusCode, Found(await response.ReadResourceAsync<Bundle>())) : (response.StatusCode, 0);
                }

            default:
                var batch = new Bundle
                {
                    Type = Bundle.BundleType.Batch,
                    Entry = [new() { Request = new() { Method = Bundle.HTTPVerb.GET, Url = query } }],
                };
                using (var response = await welfare.PostBundleAsync(batch))
                {
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    var entry = (await response.ReadResourceAsync<Bundle>()).Entry.Single();
                    var status = (HttpStatusCode)int.Parse(entry.Response.Status[..3], System.Globalization.CultureInfo.InvariantCulture);
                    return (status, entry.Resource is Bundle nested ? Found(nested) : 0);
                }
        }
    }

    private static int Found(Bundle searchset) => Math.Max(searchset.Total ?? 0, searchset.MatchIds().Count);
}
