using Gateway.Fhir.Access;
using Npgsql;

namespace Gateway.Fhir.Tests.Access;

/// <summary>
/// A write transaction refreshes the audience of what it wrote once, before its next read as a
/// partner (issue 18). The one place that reads the audience refuses to build a partner's read
/// over a connection whose audience is still pending, so a read path that forgot to settle fails
/// instead of answering from audience rows that do not yet know the transaction's writes.
/// </summary>
public sealed class PendingAudienceTests
{
    private static readonly CallingPartner Gp = new("hillside-emis", "hillside-gp", "gp", SmartScopes.Parse("system/*.cruds"));

    [Fact]
    public void A_partners_read_is_refused_while_the_transactions_audience_is_pending_and_built_once_it_is_settled()
    {
        using var connection = new NpgsqlConnection();
        using var command = new NpgsqlCommand { Connection = connection };
        var pending = PendingAudience.Begin(connection);
        pending.Add(42, ["Patient/p1"]);

        var refused = Assert.Throws<InvalidOperationException>(() => PartnerVisibility.Condition(command, Gp, "r", ["Patient"]));
        Assert.Contains("hillside-gp", refused.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => PartnerVisibility.WriteCondition(command, Gp, "r", ["Patient"]));
        // The gateway's own reads, the types everyone reads and reads on other connections (committed rows) are not held up.
        using (var elsewhere = new NpgsqlConnection())
        using (var other = new NpgsqlCommand { Connection = elsewhere })
        {
            Assert.Contains("resource_audience", PartnerVisibility.Condition(other, Gp, "r", ["Patient"]), StringComparison.Ordinal);
        }

        Assert.Equal("true", PartnerVisibility.Condition(command, null, "r", ["Patient"]));
        Assert.Equal("true", PartnerVisibility.Condition(command, Gp, "r", ["Organization"]));

        using var refresh = pending.TakeRefresh();
        Assert.NotNull(refresh);
        Assert.Equal(42L, Assert.Single((long[])refresh.Parameters[0].Value!));
        Assert.Equal("Patient/p1", Assert.Single((string[])refresh.Parameters[1].Value!));
        Assert.Contains("resource_audience", PartnerVisibility.Condition(command, Gp, "r", ["Patient"]), StringComparison.Ordinal);
        Assert.Null(pending.TakeRefresh());
    }

    [Fact]
    public void Many_writes_make_one_refresh_of_all_their_keys_and_previous_references()
    {
        using var connection = new NpgsqlConnection();
        var pending = PendingAudience.Begin(connection);
        pending.Add(1, []);
        pending.Add(2, ["ServiceRequest/a", "Patient/p"]);
        pending.Add(1, ["ServiceRequest/a"]);

        using var refresh = pending.TakeRefresh()!;

        Assert.Equal("select refresh_audience($1, $2)", refresh.CommandText);
        Assert.Equal("1 2", string.Join(' ', ((long[])refresh.Parameters[0].Value!).Order()));
        Assert.Equal("Patient/p ServiceRequest/a", string.Join(' ', ((string[])refresh.Parameters[1].Value!).Order(StringComparer.Ordinal)));
        Assert.True(pending.IsEmpty);
    }
}
