using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Api.Tests.ServiceDirectory;

/// <summary>
/// A partner's Open Referral UK API on loopback: <c>GET /services?page=n</c> answers HSDS 3's
/// paginated response (<c>contents</c>, <c>total_pages</c>, <c>page_number</c>…), two services a page
/// whatever <c>per_page</c> asks, from <see cref="Services"/> as the test sets them.
/// </summary>
public sealed class OrukServer : IAsyncDisposable
{
    public const int PageSize = 2;

    private readonly WebApplication _app;

    public OrukServer()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        Url = new Uri($"http://127.0.0.1:{port}/services");
        _app = WebApplication.CreateSlimBuilder(["--urls", $"http://127.0.0.1:{port}"]).Build();
        _app.MapGet("/services", Handle);
        _app.StartAsync().GetAwaiter().GetResult();
    }

    public Uri Url { get; }

    public List<JsonObject> Services { get; set; } = [];

    /// <summary>The pages asked for, in order.</summary>
    public List<int> PagesServed { get; } = [];

    private async Task Handle(HttpContext context)
    {
        var page = int.Parse(context.Request.Query["page"].FirstOrDefault() ?? "1", System.Globalization.CultureInfo.InvariantCulture);
        lock (PagesServed)
        {
            PagesServed.Add(page);
        }

        var totalPages = Math.Max(1, (Services.Count + PageSize - 1) / PageSize);
        var contents = Services.Skip((page - 1) * PageSize).Take(PageSize).Select(s => JsonNode.Parse(s.ToJsonString())).ToList();
        await context.Response.WriteAsJsonAsync(new
        {
            total_items = Services.Count,
            total_pages = totalPages,
            page_number = page,
            size = PageSize,
            first_page = page == 1,
            last_page = page >= totalPages,
            empty = contents.Count == 0,
            contents,
        });
    }

    public static List<JsonObject> Sample() =>
        JsonNode.Parse(File.ReadAllText(DirectoryEntries.SampleFile("oruk-services.json")))!.AsArray().Select(s => s!.AsObject()).ToList();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
