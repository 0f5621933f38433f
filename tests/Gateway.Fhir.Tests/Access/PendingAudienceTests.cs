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

    private static readonly CallingPartner OtherGp = new("riverside-emis", "riverside-gp", "gp", SmartScopes.Parse("system/*.cruds"));

    // A GP's referral bundle before its referral: the Patient and the Consent naming it, both new.
    [Fact]
    public void A_partner_reads_its_own_new_resources_before_they_are_derived_and_nobody_else_does()
    {
        using var connection = new NpgsqlConnection();
        using var command = new NpgsqlCommand { Connection = connection };
        var pending = PendingAudience.Begin(connection);
        pending.Add(7, []);
        pending.Created(7, "Patient/p-new", Gp.PartnerId, newId: true, []);
        pending.Add(8, []);
        pending.Created(8, "Consent/c-new", Gp.PartnerId, newId: true, ["Patient/p-new"]);

        Assert.Equal([7L, 8L], pending.OwnNewKeys(Gp.PartnerId)!.Order());
        var condition = PartnerVisibility.Condition(command, Gp, "r", ["Patient"]);
        Assert.Contains("resource_audience", condition, StringComparison.Ordinal);
        Assert.Contains("r.resource_key = any(", condition, StringComparison.Ordinal);
        Assert.Equal(new long[] { 7, 8 }, ((long[])command.Parameters[^1].Value!).Order());
        Assert.Throws<InvalidOperationException>(() => PartnerVisibility.Condition(command, OtherGp, "r", ["Patient"]));

        // Its referral of a patient stored before: deriving it could show the GP more, so the read waits for the refresh.
        pending.Add(9, []);
        pending.Created(9, "ServiceRequest/s-new", Gp.PartnerId, newId: true, ["Patient/p-stored"]);
        Assert.Null(pending.OwnNewKeys(Gp.PartnerId));
        Assert.Throws<InvalidOperationException>(() => PartnerVisibility.Condition(command, Gp, "r", ["Patient"]));
    }

    [Fact]
    public void A_resource_made_under_the_clients_id_by_the_gateway_or_written_twice_is_not_the_partners_own_new_one()
    {
        using var connection = new NpgsqlConnection();
        var underClientId = PendingAudience.Begin(connection);
        underClientId.Add(1, []);
        underClientId.Created(1, "Patient/chosen", Gp.PartnerId, newId: false, []);
        Assert.Null(underClientId.OwnNewKeys(Gp.PartnerId));

        var byGateway = PendingAudience.Begin(connection);
        byGateway.Add(2, []);
        byGateway.Created(2, "Provenance/v", null, newId: true, []);
        Assert.Null(byGateway.OwnNewKeys(Gp.PartnerId));

        var twice = PendingAudience.Begin(connection);
        twice.Add(3, []);
        twice.Created(3, "Patient/p", Gp.PartnerId, newId: true, []);
        Assert.NotNull(twice.OwnNewKeys(Gp.PartnerId));
        twice.Add(3, []);
        Assert.Null(twice.OwnNewKeys(Gp.PartnerId));
    }

    // POST Patient (issue 18, tenth pass): nothing stored names a new id and nothing else was written, so a
    // derivation could give the new Patient only its creator's created row; that row is written without one.
    [Fact]
    public void A_partners_new_resources_that_no_rule_but_created_derives_get_their_created_rows_without_a_refresh()
    {
        using var connection = new NpgsqlConnection();
        var pending = PendingAudience.Begin(connection);
        pending.Add(7, []);
        pending.Created(7, "Patient/p-new", Gp.PartnerId, newId: true, []);
        pending.Add(8, []);
        pending.Created(8, "Subscription/s-new", OtherGp.PartnerId, newId: true, []);

        using var rows = pending.TakeRefresh()!;

        Assert.StartsWith("insert into resource_audience", rows.CommandText, StringComparison.Ordinal);
        Assert.Contains("'created'", rows.CommandText, StringComparison.Ordinal);
        var keys = (long[])rows.Parameters[0].Value!;
        var creators = (string[])rows.Parameters[1].Value!;
        Assert.Equal("7 hillside-gp, 8 riverside-gp", string.Join(", ", keys.Zip(creators, (k, p) => $"{k} {p}").Order(StringComparer.Ordinal)));
        Assert.True(pending.IsEmpty);
    }

    [Fact]
    public void A_new_patient_beside_a_referral_a_consent_the_gateways_write_or_a_client_chosen_id_is_derived_in_full()
    {
        using var connection = new NpgsqlConnection();
        Assert.Equal("select refresh_audience($1, $2)", RefreshAfter(p => p.Created(2, "ServiceRequest/s-new", Gp.PartnerId, newId: true, ["Patient/p-new"])));
        Assert.Equal("select refresh_audience($1, $2)", RefreshAfter(p => p.Created(2, "Consent/c-new", Gp.PartnerId, newId: true, ["Patient/p-new"])));
        Assert.Equal("select refresh_audience($1, $2)", RefreshAfter(p => p.Created(2, "Patient/by-gateway", null, newId: true, [])));
        Assert.Equal("select refresh_audience($1, $2)", RefreshAfter(p => p.Created(2, "Patient/chosen", Gp.PartnerId, newId: false, [])));

        // A referral derived by an earlier refresh of the same transaction may name the Patient pending now.
        var later = PendingAudience.Begin(connection);
        later.Add(2, []);
        later.Created(2, "ServiceRequest/s-new", Gp.PartnerId, newId: true, ["Patient/p-new"]);
        using (later.TakeRefresh())
        {
        }

        later.Add(1, []);
        later.Created(1, "Patient/p-new", Gp.PartnerId, newId: true, []);
        using var refresh = later.TakeRefresh()!;
        Assert.Equal("select refresh_audience($1, $2)", refresh.CommandText);

        string RefreshAfter(Action<PendingAudience> other)
        {
            var pending = PendingAudience.Begin(connection);
            pending.Add(1, []);
            pending.Created(1, "Patient/p-new", Gp.PartnerId, newId: true, []);
            pending.Add(2, []);
            other(pending);
            using var command = pending.TakeRefresh()!;
            return command.CommandText;
        }
    }
}
