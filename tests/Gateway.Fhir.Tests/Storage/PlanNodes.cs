using System.Text.Json;
using Npgsql;
using Xunit.Abstractions;

namespace Gateway.Fhir.Tests.Storage;

/// <summary>One node of a plan: its type, the table it reads, its index condition, if any, and the rows it gave over all its loops.</summary>
internal sealed record PlanNode(string Type, string? Relation, string? IndexCondition, long Rows);

/// <summary>The nodes of an <c>EXPLAIN (ANALYZE, FORMAT JSON)</c> plan, depth first.</summary>
internal static class PlanNodes
{
    /// <summary>Runs <paramref name="command"/> under <c>EXPLAIN (ANALYZE, FORMAT JSON)</c>, writes the plan to the test output and gives its nodes.</summary>
    public static async Task<List<PlanNode>> ExplainAsync(NpgsqlCommand command, ITestOutputHelper output)
    {
        command.CommandText = "explain (analyze, format json) " + command.CommandText;
        var plan = (string)(await command.ExecuteScalarAsync())!;
        output.WriteLine(plan);
        return Of(JsonDocument.Parse(plan).RootElement).ToList();
    }

    private static IEnumerable<PlanNode> Of(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray().SelectMany(Of))
            {
                yield return item;
            }
        }
        else if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty("Node Type", out var type))
            {
                var rows = element.TryGetProperty("Actual Rows", out var actual) && element.TryGetProperty("Actual Loops", out var loops)
                    ? (long)(actual.GetDouble() * loops.GetDouble()) : 0;
                yield return new PlanNode(type.GetString()!, element.TryGetProperty("Relation Name", out var relation) ? relation.GetString() : null,
                    element.TryGetProperty("Index Cond", out var condition) ? condition.GetString() : null, rows);
            }

            foreach (var property in element.EnumerateObject().Where(p => p.Name is "Plan" or "Plans"))
            {
                foreach (var item in Of(property.Value))
                {
                    yield return item;
                }
            }
        }
    }
}
