using Gateway.Fhir.Search;
using Gateway.Fhir.Serialization;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Fhir.Conformance;

/// <summary>
/// At start, makes the store hold exactly the guide's resources under their own ids, so read,
/// vread, search by url, name and version, and history work as for any resource (docs/adr/0004):
/// unchanged ones are left alone, changed ones get a new version, ones no longer in profiles/ are
/// deleted. One transaction under an advisory lock, so instances starting together do it once each
/// in turn and the second finds nothing to do.
/// </summary>
internal sealed partial class ConformanceSeeding(ConformanceResources resources, ResourceStore store, ILogger<ConformanceSeeding> logger) : IHostedService
{
    private const int MaxStored = 100_000;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var (written, deleted) = await store.WriteAsync(async writer =>
        {
            await writer.LockAsync("conformance-resources", cancellationToken);
            var written = 0;
            foreach (var resource in resources.Files.Select(f => f.Resource))
            {
                var current = await writer.ReadCurrentAsync(resource.TypeName, resource.Id!, cancellationToken);
                if (current?.Resource is null || !SameContent(current.Resource, resource))
                {
                    await writer.UpdateAsync((Resource)resource.DeepCopy(), null, cancellationToken);
                    written++;
                }
            }

            var deleted = 0;
            foreach (var type in GatewayGuide.ConformanceTypes)
            {
                var wanted = resources.Files.Where(f => f.Resource.TypeName == type).Select(f => f.Resource.Id).ToHashSet(StringComparer.Ordinal);
                foreach (var stale in (await writer.FindIdsAsync(SearchQuery.Parse(type, ""), MaxStored, cancellationToken)).Where(id => !wanted.Contains(id)))
                {
                    await writer.DeleteAsync(type, stale, null, cancellationToken);
                    deleted++;
                }
            }

            return (written, deleted);
        }, cancellationToken);
        LogSeeded(logger, resources.Files.Count, resources.Folder, written, deleted);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static bool SameContent(Resource stored, Resource loaded)
    {
        var a = (Resource)stored.DeepCopy();
        var b = (Resource)loaded.DeepCopy();
        a.Meta = null;
        b.Meta = null;
        return FhirSerialization.ToJson(a) == FhirSerialization.ToJson(b);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Implementation guide: {Count} resources from {Folder}; {Written} stored anew, {Deleted} no longer in the guide deleted")]
    private static partial void LogSeeded(ILogger logger, int count, string folder, int written, int deleted);
}
