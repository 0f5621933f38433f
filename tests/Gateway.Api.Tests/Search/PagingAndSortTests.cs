using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Search;

/// <summary>_count, _sort, links and totals (FHIR R4 search.html#count, #sort, http.html#paging).</summary>
public sealed class PagingAndSortTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private readonly HttpClient _client = gateway.Client;

    [Fact]
    public async Task Walking_next_visits_every_match_exactly_once_while_another_writer_adds_tasks()
    {
        var owner = await _client.CreateAsync(Resources.Organization("Paging owner"));
        var created = new List<string>();
        foreach (var chunk in Enumerable.Range(0, 250).Chunk(25))
        {
            var tasks = await System.Threading.Tasks.Task.WhenAll(chunk.Select(_ => gateway.SeedAsync(Resources.Task("sr", "p", owner.Id))));
            created.AddRange(tasks.Select(t => t.Id));
        }

        using var stop = new CancellationTokenSource();
        var writer = System.Threading.Tasks.Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await gateway.SeedAsync(Resources.Task("sr", "p", owner.Id));
            }
        });

        var seen = new List<string>();
        var pages = 0;
        string? url = $"Task?owner={owner.Id}&status=requested&_count=20";
        while (url is not null)
        {
            var page = await _client.SearchAsync(url);
            Assert.True(page.MatchIds().Count <= 20);
            seen.AddRange(page.MatchIds());
            pages++;
            url = page.Link.FirstOrDefault(l => l.Relation == "next")?.Url;
            await System.Threading.Tasks.Task.Delay(10);
        }

        await stop.CancelAsync();
        await writer;
        Assert.True(pages >= 13, $"only {pages} pages");
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Empty(created.Except(seen));
    }

    [Fact]
    public async Task Previous_leads_back_to_the_same_pages()
    {
        var marker = "Prev" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < 7; i++)
        {
            await _client.CreateAsync(Resources.Patient(family: $"{marker}{i}"));
        }

        var first = await _client.SearchAsync($"Patient?family={marker}&_count=3&_sort=family");
        var second = await _client.SearchAsync(first.Link.Single(l => l.Relation == "next").Url);
        var back = await _client.SearchAsync(second.Link.Single(l => l.Relation == "previous").Url);

        Assert.DoesNotContain(first.Link, l => l.Relation == "previous");
        Assert.Equal(first.MatchIds(), back.MatchIds());
        Assert.Contains(first.Link, l => l.Relation == "self");
        Assert.Contains(first.Link, l => l.Relation == "first");
    }

    [Fact]
    public async Task Sort_orders_by_parameters_ascending_and_descending()
    {
        var marker = "Sort" + Guid.NewGuid().ToString("N")[..6];
        var b = await _client.CreateAsync(WithBirthDate(Resources.Patient(family: marker + "b"), "1960-01-01"));
        var a = await _client.CreateAsync(WithBirthDate(Resources.Patient(family: marker + "a"), "1970-01-01"));
        var c = await _client.CreateAsync(WithBirthDate(Resources.Patient(family: marker + "c"), "1950-01-01"));

        Assert.Equal([a.Id, b.Id, c.Id], (await _client.SearchAsync($"Patient?family={marker}&_sort=family")).MatchIds());
        Assert.Equal([c.Id, b.Id, a.Id], (await _client.SearchAsync($"Patient?family={marker}&_sort=-family")).MatchIds());
        Assert.Equal([c.Id, b.Id, a.Id], (await _client.SearchAsync($"Patient?family={marker}&_sort=birthdate")).MatchIds());
        Assert.Equal([c.Id, a.Id, b.Id], (await _client.SearchAsync($"Patient?family={marker}&_sort=-_lastUpdated")).MatchIds());
    }

    [Fact]
    public async Task Sort_with_paging_keeps_the_order_across_pages()
    {
        var marker = "SortPage" + Guid.NewGuid().ToString("N")[..6];
        var years = new[] { 1990, 1950, 1980, 1960, 1970, 1955, 1985 };
        foreach (var year in years)
        {
            await _client.CreateAsync(WithBirthDate(Resources.Patient(family: marker), $"{year}-06-01"));
        }

        var births = new List<string>();
        string? url = $"Patient?family={marker}&_sort=-birthdate&_count=2";
        while (url is not null)
        {
            var page = await _client.SearchAsync(url);
            births.AddRange(page.Entry.Where(e => e.Search.Mode == Bundle.SearchEntryMode.Match).Select(e => ((Patient)e.Resource).BirthDate));
            url = page.Link.FirstOrDefault(l => l.Relation == "next")?.Url;
        }

        Assert.Equal(years.OrderDescending().Select(y => $"{y}-06-01"), births);
    }

    [Fact]
    public async Task Total_is_given_when_asked_and_summary_count_gives_only_the_total()
    {
        var marker = "Total" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < 4; i++)
        {
            await _client.CreateAsync(Resources.Patient(family: marker));
        }

        var accurate = await _client.SearchAsync($"Patient?family={marker}&_total=accurate&_count=2");
        var none = await _client.SearchAsync($"Patient?family={marker}&_count=2");
        var count = await _client.SearchAsync($"Patient?family={marker}&_summary=count");

        Assert.Equal(4, accurate.Total);
        Assert.Equal(2, accurate.MatchIds().Count);
        Assert.Null(none.Total);
        Assert.Equal(4, count.Total);
        Assert.Empty(count.Entry);
    }

    [Fact]
    public async Task Count_is_capped_at_the_configured_maximum()
    {
        var page = await _client.SearchAsync("Patient?_count=100000");

        Assert.True(page.Entry.Count <= 500);
        Assert.Contains("_count=100000", page.Link.Single(l => l.Relation == "self").Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Elements_trims_each_match()
    {
        var marker = "Elements" + Guid.NewGuid().ToString("N")[..6];
        await _client.CreateAsync(Resources.Patient(family: marker));

        var bundle = await _client.SearchAsync($"Patient?family={marker}&_elements=identifier");

        var patient = (Patient)bundle.Entry.Single().Resource;
        Assert.NotEmpty(patient.Identifier);
        Assert.Empty(patient.Name);
    }

    [Fact]
    public async Task A_cursor_the_server_did_not_issue_is_400()
    {
        using var response = await _client.GetAsync("Patient?_cursor=forged");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static Patient WithBirthDate(Patient patient, string date)
    {
        patient.BirthDate = date;
        return patient;
    }
}
