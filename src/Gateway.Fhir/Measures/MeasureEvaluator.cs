using System.Reflection;
using Gateway.Fhir.Access;
using Gateway.Fhir.Search.Sql;
using Npgsql;

namespace Gateway.Fhir.Measures;

/// <summary>
/// Evaluates Measures for a period and a scope (issue 19): the referral facts once
/// (ReferralFacts.sql, a temporary table), then one grouped query per kind of figure, then
/// suppression. Read-only, in one transaction so every figure comes from the same snapshot.
/// </summary>
public sealed class MeasureEvaluator(NpgsqlDataSource dataSource)
{
    private static readonly string FactsSql = Sql("ReferralFacts.sql");
    private static readonly string CountsSql = Sql("ReferralCounts.sql");
    private static readonly string ClosedSql = Sql("ClosedReferrals.sql");
    private static readonly string WellbeingSql = Sql("WellbeingChange.sql");

    // A report reads the whole period's referrals: on a large store and a busy machine that can
    // pass Npgsql's default 30 s, which would answer 503 for a report that is merely slow.
    private const int CommandTimeoutSeconds = 300;

    /// <param name="periodEnd">Inclusive, as FHIR's periodEnd: the whole of that day (UTC) counts.</param>
    /// <param name="suppress">False only for an operator configured to see unsuppressed figures.</param>
    public async Task<IReadOnlyList<MeasureFigures>> EvaluateAsync(IReadOnlyList<MeasureDefinition> measures, DateOnly periodStart, DateOnly periodEnd,
        MeasureScope scope, bool suppress, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await using (var facts = new NpgsqlCommand { Connection = connection, Transaction = transaction, CommandTimeout = CommandTimeoutSeconds })
        {
            var from = facts.Bind(new DateTimeOffset(periodStart.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
            var to = facts.Bind(new DateTimeOffset(periodEnd.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
            facts.CommandText = FactsSql.Replace("{from}", from, StringComparison.Ordinal).Replace("{to}", to, StringComparison.Ordinal)
                .Replace("{scope}", scope.Condition(facts), StringComparison.Ordinal);
            await facts.ExecuteNonQueryAsync(ct);
        }

        var groups = measures.SelectMany(m => m.Groups).ToDictionary(g => g.Code, g => new GroupFigures(g), StringComparer.Ordinal);
        if (measures.Any(m => m.Id is not ("referrals-closed" or "wellbeing-change")))
        {
            await ReadAsync(connection, transaction, CountsSql, reader => Counts(groups, reader), ct);
        }

        if (measures.Any(m => m.Id == "referrals-closed"))
        {
            await ReadAsync(connection, transaction, ClosedSql, reader => Closed(groups, reader), ct);
        }

        if (measures.Any(m => m.Id == "wellbeing-change"))
        {
            await ReadAsync(connection, transaction, WellbeingSql, reader => Wellbeing(groups, reader), ct);
        }

        await transaction.CommitAsync(ct);
        return measures.Select(m => Finish(m, periodStart, periodEnd, m.Groups.Select(g => groups[g.Code]).ToList(), suppress)).ToList();
    }

    private static MeasureFigures Finish(MeasureDefinition measure, DateOnly start, DateOnly end, List<GroupFigures> groups, bool suppress)
    {
        var order = measure.Stratifiers.ToList();
        foreach (var group in groups)
        {
            group.Strata.Sort((a, b) =>
            {
                var byStratifier = order.IndexOf(a.Stratifier!).CompareTo(order.IndexOf(b.Stratifier!));
                return byStratifier != 0 ? byStratifier : string.CompareOrdinal(a.Stratum, b.Stratum);
            });
            if (suppress)
            {
                Suppression.Apply(group);
            }
            else
            {
                foreach (var cell in group.Cells)
                {
                    cell.StatisticWithheld = group.Group.Scoring is GroupScoring.Median or GroupScoring.MeanChange && cell.Count(MeasurePopulations.Measure) == 0 ? "n=0" : null;
                }
            }
        }

        return new MeasureFigures(measure, start, end, groups, suppress);
    }

    private static void Counts(Dictionary<string, GroupFigures> groups, NpgsqlDataReader reader)
    {
        var (stratifier, stratum) = Stratum(reader, 0);
        var received = reader.GetInt64(2);
        void Proportion(string code, long numerator)
        {
            if (groups.TryGetValue(code, out var group))
            {
                var cell = group.Cell(stratifier, stratum);
                cell.Counts[MeasurePopulations.Denominator] = received;
                cell.Counts[MeasurePopulations.Numerator] = numerator;
            }
        }

        if (groups.TryGetValue("received", out var all))
        {
            all.Cell(stratifier, stratum).Counts[MeasurePopulations.Initial] = received;
        }

        Proportion("accepted", reader.GetInt64(3));
        Proportion("contact-within-14-days", reader.GetInt64(4));
        Proportion("completed", reader.GetInt64(7));
        Proportion("sla-breach", reader.GetInt64(8));
        if (groups.TryGetValue("days-to-first-contact", out var days))
        {
            var cell = days.Cell(stratifier, stratum);
            cell.Counts[MeasurePopulations.Measure] = reader.GetInt64(5);
            cell.Statistic = reader.IsDBNull(6) ? null : reader.GetDouble(6);
        }
    }

    private static void Closed(Dictionary<string, GroupFigures> groups, NpgsqlDataReader reader)
    {
        if (groups.TryGetValue(reader.GetString(0), out var group))
        {
            var (stratifier, stratum) = Stratum(reader, 1);
            group.Cell(stratifier, stratum).Counts[MeasurePopulations.Initial] = reader.GetInt64(3);
        }
    }

    private static void Wellbeing(Dictionary<string, GroupFigures> groups, NpgsqlDataReader reader)
    {
        if (groups.TryGetValue(reader.GetString(0), out var group))
        {
            var (stratifier, stratum) = Stratum(reader, 1);
            var cell = group.Cell(stratifier, stratum);
            cell.Counts[MeasurePopulations.Measure] = reader.GetInt64(3);
            cell.Statistic = reader.IsDBNull(4) ? null : reader.GetDouble(4);
            cell.StandardDeviation = reader.IsDBNull(5) ? null : reader.GetDouble(5);
        }
    }

    private static (string? Stratifier, string? Stratum) Stratum(NpgsqlDataReader reader, int at) =>
        reader.IsDBNull(at) ? (null, null) : (reader.GetString(at), reader.GetString(at + 1));

    private static async Task ReadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, Action<NpgsqlDataReader> row, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = CommandTimeoutSeconds };
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            row(reader);
        }
    }

    private static string Sql(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Gateway.Fhir.Measures.{name}")
            ?? throw new InvalidOperationException($"The embedded query Measures/{name} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
