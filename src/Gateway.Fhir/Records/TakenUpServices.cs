using Gateway.Fhir.Access;
using Gateway.Fhir.Search.Sql;
using Gateway.Fhir.ServiceDirectory;
using Gateway.Fhir.Storage;
using Gateway.Mapping.LocalOffer;

namespace Gateway.Fhir.Records;

/// <summary>
/// The directory services (SPEC §11) partner records name as taken up, found in one query for a
/// record or a whole chunk of them (issue 18: not one lookup a row), as the sending partner sees
/// the directory: by the gateway's HealthcareService id, or by the id its own directory source
/// gives the service (the identifier <see cref="DirectoryImport.SourceSystem"/> keeps, in any of its
/// source formats). The mappers check what is found (<see cref="TakenUpService"/>).
/// </summary>
public sealed class TakenUpServices
{
    private readonly Dictionary<ServiceKey, KnownService> _found = [];

    private TakenUpServices()
    {
    }

    public static TakenUpServices None { get; } = new();

    public ServiceLookup Lookup => key => _found.GetValueOrDefault(key);

    public static async Task<TakenUpServices> FindAsync(ResourceWriter writer, IEnumerable<ServiceKey> keys, CallingPartner caller, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(caller);
        var wanted = keys.Distinct().ToList();
        if (wanted.Count == 0)
        {
            return None;
        }

        var ids = wanted.Where(k => k.Kind == ServiceKeyKind.GatewayId).Select(k => k.Value).ToArray();
        var sourceCodes = wanted.Where(k => k.Kind == ServiceKeyKind.SourceId).Select(k => "service:" + k.Value).ToArray();
        await using var command = await writer.PartnerCommandAsync(ct);
        var visible = PartnerVisibility.Condition(command, writer.Caller, "r", ["HealthcareService"]);
        // The partner's own sources, whichever format imported them (its ORUK API and its activities CSV are two).
        var ownSources = DirectoryImport.SourceSystemPrefix(caller.PartnerId);
        command.CommandText = $"""
            select 'id', r.resource_id, r.resource_id, v.body->>'name', coalesce((v.body->>'active')::boolean, true)
            from resource r join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            where r.resource_type = 'HealthcareService' and r.resource_id = any({command.Bind(ids)}) and not r.is_deleted and {visible}
            union all
            select 'source', substr(t.code, 9), r.resource_id, v.body->>'name', coalesce((v.body->>'active')::boolean, true)
            from search_token t
            join resource r on r.resource_key = t.resource_key and not r.is_deleted
            join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            where t.resource_type = 'HealthcareService' and t.param = 'identifier' and t.code = any({command.Bind(sourceCodes)})
              and starts_with(t.system, {command.Bind(ownSources)}) and {visible}
            order by 1, 5 desc
            """;
        var found = new TakenUpServices();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var key = new ServiceKey(reader.GetString(0) == "id" ? ServiceKeyKind.GatewayId : ServiceKeyKind.SourceId, reader.GetString(1));
            // The same source id in two of the partner's formats: an active service first (order by).
            found._found.TryAdd(key, new KnownService(reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetBoolean(4)));
        }

        return found;
    }
}
