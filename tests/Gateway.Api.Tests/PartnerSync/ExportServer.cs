using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Api.Tests.PartnerSync;

/// <summary>
/// A partner's export on loopback, following the pull contract (README, "Scheduled sync"):
/// <c>GET /export?since=n</c> answers <c>{"records": [...], "next": "m"}</c>, two records a page,
/// the cursor being the index of the next record. <see cref="Failure"/> makes it misbehave.
/// </summary>
public sealed class ExportServer : IAsyncDisposable
{
    public const int PageSize = 2;

    private readonly WebApplication _app;

    public ExportServer()
    {
        // Port 0: Kestrel binds a free port itself, so no other test can take it in between.
        _app = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]).Build();
        _app.MapGet("/export", Handle);
        _app.StartAsync().GetAwaiter().GetResult();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Url = new Uri(address.TrimEnd('/') + "/export");
    }

    public Uri Url { get; }

    /// <summary>The records the partner has to give, oldest first.</summary>
    public ConcurrentQueue<string> Records { get; } = new();

    /// <summary>The <c>since</c> of every request, in order (null: none sent).</summary>
    public ConcurrentQueue<string?> Requests { get; } = new();

    /// <summary>How many records the server has handed out in all.</summary>
    public int Served => _served;

    /// <summary>When set, every request gets this instead of a page.</summary>
    public Func<HttpContext, Task>? Failure { get; set; }

    private int _served;

    private async Task Handle(HttpContext context)
    {
        var since = context.Request.Query["since"].FirstOrDefault();
        Requests.Enqueue(since);
        if (Failure is { } failure)
        {
            await failure(context);
            return;
        }

        var start = since is null ? 0 : int.Parse(since, System.Globalization.CultureInfo.InvariantCulture);
        var page = Records.Skip(start).Take(PageSize).Select(r => JsonDocument.Parse(r).RootElement).ToList();
        Interlocked.Add(ref _served, page.Count);
        await context.Response.WriteAsJsonAsync(new { records = page, next = (start + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
