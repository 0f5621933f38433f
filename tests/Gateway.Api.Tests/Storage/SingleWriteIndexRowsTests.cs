using Gateway.Api.Tests.Records;
using Gateway.Api.Tests.Workflow;
using Gateway.Fhir.Serialization;
using Gateway.Testing;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;
using Status = Hl7.Fhir.Model.Task.TaskStatus;

namespace Gateway.Api.Tests.Storage;

/// <summary>
/// Issue 18, eighth pass: an update one at a time (PUT) replaces only the index rows its new
/// version changes, as a chunk does. What the index holds afterwards must be exactly the newest
/// version's rows, searches must answer by the new values only, and the referral feed (whose
/// owner row such an update keeps) must list the moved Task.
/// </summary>
public sealed class SingleWriteIndexRowsTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    [Fact]
    public async System.Threading.Tasks.Task After_single_updates_the_index_holds_exactly_the_newest_versions_rows_and_the_feed_lists_the_task()
    {
        var gp = gateway.Client;
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var referral = await Referrals.SendUkSampleAsync(gp);
        var task = await housing.ReferralTaskAsync(referral.RequestId);
        var since = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"));

        task = await Referrals.MoveAsync(housing, task, Status.Accepted);
        task = await Referrals.MoveAsync(housing, task, Status.InProgress, t => t.BusinessStatus = new CodeableConcept("https://interop-gateway.example/fhir/CodeSystem/referral-business-status", "plan-agreed"));
        var patient = await (await gp.GetAsync($"Patient/{referral.PatientId}")).ReadResourceAsync<Patient>();
        patient.Name = [new HumanName { Family = "Adeyemi", Given = ["Folake"] }];
        patient.Telecom = [];
        (await gp.PutAsync($"Patient/{patient.Id}", patient)).EnsureSuccessStatusCode();

        foreach (var (type, id) in new[] { ("Task", task.Id), ("Patient", patient.Id), ("ServiceRequest", referral.RequestId) })
        {
            var (key, stored) = await CurrentAsync(type, id);
            Assert.Equal(IndexRowLines.Expected(stored), await IndexRowLines.StoredAsync(gateway.Database, key));
        }

        Assert.Equal(1, await MatchesAsync(housing, $"Task?_id={task.Id}&status=in-progress"));
        Assert.Equal(0, await MatchesAsync(housing, $"Task?_id={task.Id}&status=requested"));
        Assert.Equal(1, await MatchesAsync(gp, $"Patient?_id={patient.Id}&family=Adeyemi"));
        Assert.Equal(0, await MatchesAsync(gp, $"Patient?_id={patient.Id}&family=Okafor"));

        // Moved after `since` though its owner's index row was kept, so in the owner's feed.
        using var feed = await housing.GetAsync($"../records/referrals?since={since}");
        var body = await feed.Content.ReadAsStringAsync();
        Assert.True(feed.IsSuccessStatusCode, body);
        Assert.Contains(task.Id, body, StringComparison.Ordinal);
        var (mismatched, rows) = await TaskFeedIndex.CompareAsync(gateway.Database);
        Assert.True(rows > 0);
        Assert.Equal(0, mismatched);
    }

    private static async System.Threading.Tasks.Task<int> MatchesAsync(HttpClient client, string search)
    {
        using var response = await client.GetAsync(search);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.ReadResourceAsync<Bundle>()).Entry.Count(e => e.Search?.Mode == Bundle.SearchEntryMode.Match);
    }

    private async System.Threading.Tasks.Task<(long Key, Resource Resource)> CurrentAsync(string type, string id)
    {
        await using var command = gateway.Database.CreateCommand("""
            select r.resource_key, v.body::text from resource r
            join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            where r.resource_type = $1 and r.resource_id = $2
            """);
        command.Parameters.Add(new() { Value = type });
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"{type}/{id} is not stored.");
        return (reader.GetInt64(0), FhirSerialization.FromStoredJson(reader.GetString(1)));
    }
}
