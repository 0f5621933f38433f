using System.Security.Cryptography;
using Npgsql;

namespace Gateway.Fhir.Export;

/// <summary>Each evaluator's pseudonym secret (<c>export_pseudonym_key</c>): 32 random bytes made at its first export, kept from then on.</summary>
public static class ExportPseudonymKeys
{
    public static async Task<ExportPseudonyms> ForAsync(NpgsqlDataSource dataSource, string partnerId, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using (var insert = dataSource.CreateCommand("insert into export_pseudonym_key (partner_id, secret, created_at) values ($1, $2, $3) on conflict do nothing"))
        {
            insert.Parameters.Add(new() { Value = partnerId });
            insert.Parameters.Add(new() { Value = RandomNumberGenerator.GetBytes(32) });
            insert.Parameters.Add(new() { Value = now });
            await insert.ExecuteNonQueryAsync(ct);
        }

        await using var select = dataSource.CreateCommand("select secret from export_pseudonym_key where partner_id = $1");
        select.Parameters.Add(new() { Value = partnerId });
        return new ExportPseudonyms((byte[])(await select.ExecuteScalarAsync(ct))!);
    }
}
