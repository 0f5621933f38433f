using Gateway.Api.Smart;
using Gateway.Fhir.Storage;
using Gateway.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gateway.Api.Tests.Smart;

public sealed class SigningKeysTests
{
    [Fact]
    public async Task An_old_key_is_rotated_yet_still_validates_until_it_is_retired()
    {
        await using var database = NpgsqlDataSource.Create(await PostgresCluster.CreateDatabaseAsync(nameof(SigningKeysTests)));
        await SchemaMigrator.MigrateAsync(database, NullLogger.Instance);
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var keys = new SigningKeys(database, clock, Options.Create(new AuthOptions { SigningKeyMaxAgeDays = 90 }));

        await keys.LoadAsync(CancellationToken.None);
        var first = keys.Current.Kid;
        await keys.LoadAsync(CancellationToken.None);
        Assert.Equal(first, keys.Current.Kid);

        clock.Advance(TimeSpan.FromDays(91));
        await keys.LoadAsync(CancellationToken.None);
        Assert.NotEqual(first, keys.Current.Kid);
        Assert.Equal([keys.Current.Kid, first], keys.Validating.Select(k => k.Kid));

        clock.Advance(TimeSpan.FromDays(91));
        await keys.LoadAsync(CancellationToken.None);
        Assert.DoesNotContain(first, keys.Validating.Select(k => k.Kid));
        Assert.Equal(2, keys.Validating.Count);
    }
}
