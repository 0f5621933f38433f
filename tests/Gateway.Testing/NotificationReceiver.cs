using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Testing;

/// <summary>One request the receiver got: path, headers and the exact body bytes.</summary>
public sealed record ReceivedRequest(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}

/// <summary>
/// An HTTP endpoint on 127.0.0.1 that records every POST, for the gateway's deliveries to reach
/// in tests. <see cref="FailPath"/> makes it answer 503 on a path until set back, <see cref="RedirectPath"/>
/// a 307 to elsewhere.
/// </summary>
public sealed class NotificationReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, bool> _failing = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Uri> _redirects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _held = new(StringComparer.Ordinal);
    private WebApplication? _app;

    public Uri Root { get; private set; } = null!;

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    public IReadOnlyList<ReceivedRequest> On(string path) => [.. _requests.Where(r => r.Path == "/" + path.TrimStart('/'))];

    public Uri Url(string path) => new(Root, path.TrimStart('/'));

    /// <summary>Answers 503 on <paramref name="path"/> (still recording what came) while <paramref name="failing"/>.</summary>
    public void FailPath(string path, bool failing = true) => _failing["/" + path.TrimStart('/')] = failing;

    /// <summary>Answers 307 to <paramref name="target"/> on <paramref name="path"/> (still recording what came); null stops it.</summary>
    public void RedirectPath(string path, Uri? target)
    {
        if (target is null)
        {
            _redirects.TryRemove("/" + path.TrimStart('/'), out _);
        }
        else
        {
            _redirects["/" + path.TrimStart('/')] = target;
        }
    }

    /// <summary>Keeps every request on <paramref name="path"/> open (recorded on arrival, not answered) until <see cref="Release"/>: a delivery in flight.</summary>
    public void Hold(string path) => _held["/" + path.TrimStart('/')] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release(string path)
    {
        if (_held.TryRemove("/" + path.TrimStart('/'), out var gate))
        {
            gate.TrySetResult();
        }
    }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var path = context.Request.Path.Value ?? "/";
            _requests.Enqueue(new ReceivedRequest(path, headers, body.ToArray()));
            if (_held.TryGetValue(path, out var gate))
            {
                await gate.Task;
            }

            if (_redirects.TryGetValue(path, out var target))
            {
                context.Response.Redirect(target.ToString(), permanent: false, preserveMethod: true);
                return;
            }

            context.Response.StatusCode = _failing.TryGetValue(path, out var failing) && failing ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Root = new Uri(address.TrimEnd('/') + "/");
    }

    /// <summary>Waits until the requests on <paramref name="path"/> satisfy <paramref name="done"/>; fails with what came after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(string path, Func<IReadOnlyList<ReceivedRequest>, bool> done, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(done);
        var until = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var received = On(path);
            if (done(received))
            {
                return received;
            }

            if (DateTimeOffset.UtcNow > until)
            {
                throw new TimeoutException($"{path} got {received.Count} requests, not what the test waited for: {string.Join(" | ", received.Select(r => r.BodyText))}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var path in _held.Keys)
        {
            Release(path);
        }

        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
