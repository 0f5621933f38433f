using System.Text.Json;
using Gateway.Fhir.Serialization;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Gateway.Fhir.Partners;

/// <summary>
/// Applies the partners file at start, in one transaction: partner and client rows replaced, and
/// each partner kept as an Organization resource (a new version only when it changed).
/// </summary>
public sealed class PartnersApplication(PartnerDirectory directory, NpgsqlDataSource dataSource, ResourceStore store, TimeProvider clock) : IHostedService
{
    // Partners are applied by whichever instance starts; the lock keeps two starts from interleaving.
    private const string LockKey = "partners-file";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.WriteAsync(async writer =>
        {
            await writer.LockAsync(LockKey, cancellationToken);
            foreach (var partner in directory.Partners)
            {
                var organization = PartnerOrganization.From(partner);
                var current = await writer.ReadCurrentAsync("Organization", partner.Id, cancellationToken);
                if (current?.Resource is not { } stored || !SameContent(stored, organization))
                {
                    await writer.UpdateAsync(organization, ifMatchVersion: null, cancellationToken);
                }
            }

            return 0;
        }, cancellationToken);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var clear = new NpgsqlCommand("delete from api_client; delete from partner;", connection, transaction))
        {
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var partner in directory.Partners)
        {
            await using var insert = new NpgsqlCommand("insert into partner (partner_id, kind, name, config, applied_at) values ($1, $2, $3, $4::jsonb, $5)", connection, transaction);
            insert.Parameters.Add(new() { Value = partner.Id });
            insert.Parameters.Add(new() { Value = partner.Kind });
            insert.Parameters.Add(new() { Value = partner.Name });
            insert.Parameters.Add(new() { Value = JsonSerializer.Serialize(partner, PartnersJson.Options) });
            insert.Parameters.Add(new() { Value = clock.GetUtcNow() });
            await insert.ExecuteNonQueryAsync(cancellationToken);
            foreach (var client in partner.Clients ?? [])
            {
                await using var insertClient = new NpgsqlCommand("insert into api_client (client_id, partner_id, scopes, jwks, jwks_url) values ($1, $2, $3, $4::jsonb, $5)", connection, transaction);
                insertClient.Parameters.Add(new() { Value = client.ClientId });
                insertClient.Parameters.Add(new() { Value = partner.Id });
                insertClient.Parameters.Add(new() { Value = client.Scopes });
                insertClient.Parameters.Add(new() { Value = client.Jwks is { } jwks ? jwks.GetRawText() : DBNull.Value });
                insertClient.Parameters.Add(new() { Value = (object?)client.JwksUrl ?? DBNull.Value });
                await insertClient.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static bool SameContent(Hl7.Fhir.Model.Resource stored, Hl7.Fhir.Model.Organization wanted)
    {
        var copy = stored.DeepCopy();
        copy.Meta = null;
        return FhirSerialization.ToJson(copy) == FhirSerialization.ToJson(wanted);
    }
}
