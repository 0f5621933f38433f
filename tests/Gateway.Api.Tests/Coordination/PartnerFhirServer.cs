using System.Collections.Concurrent;
using System.Globalization;
using Gateway.Fhir.Serialization;
using Gateway.Testing;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Api.Tests.Coordination;

/// <summary>One request the partner's server got.</summary>
public sealed record PartnerRequest(string Method, string Path, string? Authorization, string? IfNoneExist);

/// <summary>
/// A partner's own FHIR server on loopback, in memory: create (honouring If-None-Exist on
/// <c>identifier=system|value</c>), read, update and <c>?_id=</c> search of any type, every request
/// recorded. <see cref="Fail"/> makes the next matching requests answer 503, before or after storing.
/// </summary>
public sealed class PartnerFhirServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Type, string Id), Resource> _resources = new();
    private readonly ConcurrentQueue<PartnerRequest> _requests = new();
    private readonly ConcurrentQueue<(string Method, string Type, bool AfterStoring)> _failures = new();
    private readonly object _writes = new();
    private readonly WebApplication _app;
    private int _nextId;

    public PartnerFhirServer()
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(HandleAsync);
        _app.StartAsync().GetAwaiter().GetResult();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Base = new Uri(address.TrimEnd('/') + "/r4");
    }

    /// <summary>The FHIR base, as the partners file's fhirEndpoint names it.</summary>
    public Uri Base { get; }

    /// <summary>While true, every request answers 503 (the server is down).</summary>
    public bool Down { get; set; }

    /// <summary>While set, every request answers 307 to this address.</summary>
    public Uri? RedirectTo { get; set; }

    public IReadOnlyList<PartnerRequest> Requests => [.. _requests];

    /// <summary>The next <paramref name="method"/> on <paramref name="type"/> answers 503, after storing what it was sent when <paramref name="afterStoring"/> (the answer lost on the way back).</summary>
    public void Fail(string method, string type, bool afterStoring = false) => _failures.Enqueue((method, type, afterStoring));

    public IReadOnlyList<T> All<T>() where T : Resource =>
        [.. _resources.Where(r => r.Key.Type == typeof(T).Name).Select(r => (T)r.Value.DeepCopy()).OrderBy(r => r.Id, StringComparer.Ordinal)];

    /// <summary>What was made for the gateway Task <paramref name="gatewayTaskId"/> (its identifier carries the id).</summary>
    public IReadOnlyList<T> For<T>(string gatewayTaskId) where T : Resource =>
        [.. All<T>().Where(r => Identifiers(r).Any(i => i.Value == gatewayTaskId))];

    /// <summary>Stores a resource as the partner's own staff would, under a new id.</summary>
    public T Add<T>(T resource) where T : Resource
    {
        lock (_writes)
        {
            return (T)Store(resource.TypeName, (Resource)resource.DeepCopy(), null).DeepCopy();
        }
    }

    /// <summary>Changes a stored resource as the partner's own staff would: a new version.</summary>
    public T Change<T>(string id, Action<T> change) where T : Resource
    {
        lock (_writes)
        {
            var current = (T)_resources[(typeof(T).Name, id)].DeepCopy();
            change(current);
            return (T)Store(current.TypeName, current, id).DeepCopy();
        }
    }

    private async System.Threading.Tasks.Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        _requests.Enqueue(new PartnerRequest(request.Method, request.Path + request.QueryString, request.Headers.Authorization.FirstOrDefault(), request.Headers["If-None-Exist"].FirstOrDefault()));
        if (RedirectTo is { } target)
        {
            context.Response.Redirect(target.ToString(), permanent: false, preserveMethod: true);
            return;
        }

        var parts = (request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (Down || parts.Length < 2 || parts[0] != "r4")
        {
            context.Response.StatusCode = Down ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status404NotFound;
            return;
        }

        var type = parts[1];
        var failure = _failures.TryPeek(out var next) && next.Method == request.Method && next.Type == type && _failures.TryDequeue(out _) ? next : default;
        if (failure.Method is not null && !failure.AfterStoring)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        var (status, body, location) = await AnswerAsync(request, type, parts.Length > 2 ? parts[2] : null);
        if (failure.Method is not null)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        context.Response.StatusCode = status;
        if (location is not null)
        {
            context.Response.Headers.Location = location;
        }

        if (body is not null)
        {
            context.Response.ContentType = "application/fhir+json";
            await context.Response.WriteAsync(FhirSerialization.ToJson(body));
        }
    }

    private async Task<(int Status, Resource? Body, string? Location)> AnswerAsync(HttpRequest request, string type, string? id)
    {
        switch (request.Method)
        {
            case "GET" when id is not null:
                return _resources.TryGetValue((type, id), out var found) ? (200, found, null) : (404, null, null);
            case "GET":
                var ids = request.Query["_id"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
                var bundle = new Bundle { Type = Bundle.BundleType.Searchset };
                bundle.Entry.AddRange(ids.Where(i => _resources.ContainsKey((type, i))).Select(i => new Bundle.EntryComponent { FullUrl = $"{Base}/{type}/{i}", Resource = _resources[(type, i)] }));
                bundle.Total = bundle.Entry.Count;
                return (200, bundle, null);
            case "POST":
                var posted = await ReadAsync(request);
                lock (_writes)
                {
                    if (request.Headers["If-None-Exist"].FirstOrDefault() is { } condition && Match(type, condition) is { } existing)
                    {
                        return (200, existing, null);
                    }

                    var created = Store(type, posted, null);
                    return (201, created, $"{Base}/{type}/{created.Id}/_history/{created.Meta.VersionId}");
                }

            case "PUT" when id is not null:
                var put = await ReadAsync(request);
                lock (_writes)
                {
                    return (200, Store(type, put, id), null);
                }

            default:
                return (405, null, null);
        }
    }

    private Resource Store(string type, Resource resource, string? id)
    {
        var version = id is not null && _resources.TryGetValue((type, id), out var previous) ? int.Parse(previous.Meta.VersionId, CultureInfo.InvariantCulture) + 1 : 1;
        resource.Id = id ?? "p" + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        resource.Meta = new Meta { VersionId = version.ToString(CultureInfo.InvariantCulture), LastUpdated = DateTimeOffset.UtcNow };
        _resources[(type, resource.Id)] = resource;
        return resource;
    }

    // identifier=system|value, URL-decoded by the caller's escaping.
    private Resource? Match(string type, string condition)
    {
        var token = Uri.UnescapeDataString(condition.StartsWith("identifier=", StringComparison.Ordinal) ? condition["identifier=".Length..] : "");
        var bar = token.IndexOf('|', StringComparison.Ordinal);
        var (system, value) = bar < 0 ? (null, token) : (token[..bar], token[(bar + 1)..]);
        return _resources.Where(r => r.Key.Type == type).Select(r => r.Value)
            .FirstOrDefault(r => Identifiers(r).Any(i => i.Value == value && (system is null || i.System == system)));
    }

    private static List<Identifier> Identifiers(Resource resource) => resource switch
    {
        Patient p => p.Identifier,
        ServiceRequest s => s.Identifier,
        Hl7.Fhir.Model.Task t => t.Identifier,
        QuestionnaireResponse { Identifier: { } identifier } => [identifier],
        _ => [],
    };

    private static async Task<Resource> ReadAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        return FhirHttp.Parse<Resource>(await reader.ReadToEndAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
