using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Api.Tests.Records;
using Gateway.Fhir.ServiceDirectory;
using Gateway.Jobs.ServiceDirectory;
using Gateway.Mapping.LocalOffer;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Api.Tests.ServiceDirectory;

/// <summary>A gateway whose housing provider publishes its directory as an Open Referral UK API.</summary>
public sealed class OrukGatewayApp : GatewayApp
{
    public OrukServer Oruk { get; } = new();

    protected override TestPartners CreatePartners() => new(housingDirectory: Oruk.Url);

    public override async System.Threading.Tasks.Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Oruk.DisposeAsync();
    }
}

/// <summary>SPEC §11 directory sources: idempotent, reported per entry, re-imports update, what is gone becomes inactive.</summary>
public sealed class DirectoryImportTests(OrukGatewayApp gateway) : IClassFixture<OrukGatewayApp>
{
    private async Task<HealthcareService> ServiceAsync(string partner, string sourceId, string format = OrukServiceReader.Format)
    {
        var system = DirectoryImport.SourceSystem(partner, format);
        var bundle = await gateway.Client.SearchAsync($"HealthcareService?identifier={Uri.EscapeDataString(system)}|service:{sourceId}");
        return (HealthcareService)Assert.Single(bundle.Entry).Resource!;
    }

    private static Dictionary<string, string> Outcomes(IEnumerable<DirectoryEntryOutcome> report) =>
        report.ToDictionary(r => r.SourceId, r => r.Outcome, StringComparer.Ordinal);

    [Fact]
    public async System.Threading.Tasks.Task A_multi_page_oruk_source_is_pulled_then_re_pulled_with_one_updated_one_removed_one_added()
    {
        gateway.Oruk.Services = OrukServer.Sample();
        var job = gateway.Services.GetRequiredService<DirectoryPullJob>();

        var first = await job.RunAsync(TestPartners.Housing, CancellationToken.None);

        Assert.Equal([1, 2], gateway.Oruk.PagesServed);
        Assert.Equal(new Dictionary<string, string>
        {
            ["svc-walsall-befriending"] = "created", ["svc-darlaston-arts"] = "created", ["svc-bloxwich-walking"] = "created",
        }, Outcomes(first));
        var befriending = await ServiceAsync(TestPartners.Housing, "svc-walsall-befriending");
        Assert.Equal("Walsall Befriending Circle", befriending.Name);
        Assert.True(befriending.Active);
        Assert.Equal("befriending", befriending.Category[0].Coding[0].Code);
        var organization = await (await gateway.Client.GetAsync(befriending.ProvidedBy.Reference)).ReadResourceAsync<Organization>();
        Assert.Equal("Age Well Walsall", organization.Name);
        Assert.Equal($"Organization/{TestPartners.Housing}", organization.PartOf.Reference);
        Assert.Contains(befriending.Id, (await gateway.Client.SearchAsync("HealthcareService?location.near=52.5846|-1.9822|1|km")).MatchIds());

        // The same source again: nothing written.
        gateway.Oruk.PagesServed.Clear();
        Assert.All(await job.RunAsync(TestPartners.Housing, CancellationToken.None), r => Assert.Equal("unchanged", r.Outcome));

        var changed = OrukServer.Sample();
        changed[0]["name"] = "Walsall Befriending Circle (Tuesdays)";
        changed.RemoveAt(1);
        var added = JsonNode.Parse(changed[0].ToJsonString())!.AsObject();
        added["id"] = "svc-walsall-knit";
        added["name"] = "Knit and Natter";
        changed.Add(added);
        gateway.Oruk.Services = changed;

        var second = await job.RunAsync(TestPartners.Housing, CancellationToken.None);

        Assert.Equal(new Dictionary<string, string>
        {
            ["svc-walsall-befriending"] = "updated", ["svc-bloxwich-walking"] = "unchanged", ["svc-walsall-knit"] = "created", ["svc-darlaston-arts"] = "deactivated",
        }, Outcomes(second));
        Assert.Equal("Walsall Befriending Circle (Tuesdays)", (await ServiceAsync(TestPartners.Housing, "svc-walsall-befriending")).Name);
        Assert.Equal(befriending.Id, (await ServiceAsync(TestPartners.Housing, "svc-walsall-befriending")).Id);
        Assert.False((await ServiceAsync(TestPartners.Housing, "svc-darlaston-arts")).Active);
        Assert.DoesNotContain((await ServiceAsync(TestPartners.Housing, "svc-darlaston-arts")).Id,
            (await gateway.Client.SearchAsync("HealthcareService?active=true&_count=500")).MatchIds());
    }

    [Fact]
    public async System.Threading.Tasks.Task A_welfare_organisation_sends_its_activities_csv_and_again_with_changes()
    {
        var welfare = await gateway.CreateClientAsync(TestPartners.Welfare);
        var csv = await File.ReadAllTextAsync(DirectoryEntries.SampleFile("welfare-activities.csv"));

        var first = await PostActivitiesAsync(welfare, csv);

        Assert.Equal(["accepted", "accepted", "accepted"], first.Select(r => r.GetProperty("outcome").GetString()));
        var walking = await ServiceAsync(TestPartners.Welfare, "act-1", ActivitiesCsvReader.Format);
        Assert.Equal($"Organization/{TestPartners.Welfare}", walking.ProvidedBy.Reference);
        Assert.Equal(ServiceCapacity.Of(walking), new ServiceCapacity(true, walking.GetExtension(ServiceCapacity.Url).GetExtension("expectedWait").Value as Duration));
        Assert.Equal(7m, ((Duration)walking.GetExtension(ServiceCapacity.Url).GetExtension("expectedWait").Value).Value);
        Assert.False(ServiceCapacity.Of(await ServiceAsync(TestPartners.Welfare, "act-2", ActivitiesCsvReader.Format)).AcceptsReferrals);
        Assert.Equal(["unchanged", "unchanged", "unchanged"], (await PostActivitiesAsync(welfare, csv)).Select(r => r.GetProperty("outcome").GetString()));

        var changed = csv.Replace("Taalcafe;befriending", "Taalcafe De Brug;befriending", StringComparison.Ordinal)
            .Replace("act-2;Koor Zingen voor Iedereen;music;Kampen;Oudestraat 101;8261 CK;koor@example.nl;nee;\n", "", StringComparison.Ordinal)
            + "act-4;Moestuin Samen;volunteering;Kampen;Tuinweg 2;8262 AA;038 000 0004;ja;14\nact-5;;music;Kampen;;;;misschien;\n";

        var second = await PostActivitiesAsync(welfare, changed);

        var notes = second.ToDictionary(r => r.GetProperty("recordKey").GetString()!, r => r.GetProperty("note").GetString() ?? r.GetProperty("outcome").GetString());
        Assert.Equal("unchanged", second.Single(r => r.GetProperty("recordKey").GetString() == "act-1").GetProperty("outcome").GetString());
        Assert.Equal("Directory entry updated.", notes["act-3"]);
        Assert.Equal("Directory entry created.", notes["act-4"]);
        Assert.Equal("Directory entry deactivated.", notes["act-2"]);
        var rejected = second.Single(r => r.GetProperty("recordKey").GetString() == "act-5");
        Assert.Equal("rejected", rejected.GetProperty("outcome").GetString());
        Assert.Contains("naam", rejected.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("misschien", rejected.GetRawText(), StringComparison.Ordinal);
        Assert.False((await ServiceAsync(TestPartners.Welfare, "act-2", ActivitiesCsvReader.Format)).Active);
        Assert.Equal("Taalcafe De Brug", (await ServiceAsync(TestPartners.Welfare, "act-3", ActivitiesCsvReader.Format)).Name);
    }

    [Fact]
    public async System.Threading.Tasks.Task An_oruk_file_goes_to_the_record_api_and_a_wrong_header_is_refused_whole()
    {
        var welfare = await gateway.CreateClientAsync(TestPartners.Welfare);
        var json = (await File.ReadAllTextAsync(DirectoryEntries.SampleFile("oruk-services.json"))).Replace("svc-", "file-svc-", StringComparison.Ordinal);

        using var response = await welfare.PostBatchAsync(OrukServiceReader.Format, Encoding.UTF8.GetBytes(json), "application/json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.JsonAsync();
        Assert.Equal(3, report.GetProperty("summary").GetProperty("accepted").GetInt32());
        Assert.Equal("Darlaston Arts and Crafts", (await ServiceAsync(TestPartners.Welfare, "file-svc-darlaston-arts")).Name);

        using var wrong = await welfare.PostBatchAsync(ActivitiesCsvReader.Format, Encoding.UTF8.GetBytes("naam;categorie\nx;y\n"), "text/csv");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        Assert.Contains("neemt_verwijzingen_aan", (await wrong.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    private static async Task<List<JsonElement>> PostActivitiesAsync(HttpClient welfare, string csv)
    {
        using var response = await welfare.PostBatchAsync(ActivitiesCsvReader.Format, Encoding.UTF8.GetBytes(csv), "text/csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.JsonAsync()).GetProperty("records").EnumerateArray()];
    }
}
