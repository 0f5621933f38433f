using System.Text.Json;
using Gateway.Fhir.ServiceDirectory;
using Gateway.Fhir.Serialization;
using Hl7.Fhir.Model;
using Npgsql;
using static Gateway.Api.OperatorConsole.ConsoleHtml;

namespace Gateway.Api.OperatorConsole;

/// <summary>
/// <c>GET /console/directory</c>: the service directory (SPEC §11) by area and category, with each
/// service's capacity, and the last import of every directory source with its per-entry report.
/// The directory is public to every partner, so the page reads it as the gateway.
/// </summary>
public static class DirectoryPage
{
    private const int MaxServices = 1000;

    public static async Task<IResult> Handle(HttpContext context, NpgsqlDataSource dataSource, DirectoryImportLog imports, CancellationToken ct)
    {
        var services = await CurrentAsync<HealthcareService>(dataSource, "HealthcareService", ct);
        var locations = (await CurrentAsync<Location>(dataSource, "Location", ct)).ToDictionary(l => "Location/" + l.Id, StringComparer.Ordinal);
        var rows = services
            .Select(s => (Service: s, Place: s.Location.Select(l => l.Reference is { } r ? locations.GetValueOrDefault(r) : null).FirstOrDefault(l => l is not null)))
            .OrderBy(s => s.Place?.Address?.City ?? "~", StringComparer.OrdinalIgnoreCase)
            .ThenBy(s => Category(s.Service), StringComparer.Ordinal)
            .ThenBy(s => s.Service.Name, StringComparer.OrdinalIgnoreCase)
            .Select(s => Row(
                E(s.Place?.Address?.City ?? "—") + $"<br><span class=\"muted\">{E(s.Place?.Address?.PostalCode)}</span>",
                E(Category(s.Service)),
                $"<strong>{E(s.Service.Name)}</strong><br><span class=\"muted\">HealthcareService/{E(s.Service.Id)}</span>",
                E(s.Service.ProvidedBy?.Display ?? s.Service.ProvidedBy?.Reference),
                s.Service.Active == false ? "<span class=\"muted\">inactive</span>" : Capacity(ServiceCapacity.Of(s.Service))))
            .ToList();
        var importRows = (await imports.ReadAsync(ct)).Select(i => Row(
            E(i.PartnerId),
            E(i.Format) + $"<br><span class=\"muted\">{E(i.Source)}</span>",
            Time(i.FinishedAt),
            E(string.Join(", ", i.Counts.Select(c => $"{c.Value} {c.Key}"))),
            Report(i.ReportJson)));
        var body = Table(["Area", "Category", "Service", "Provider", "Capacity"], rows, "directory")
            + "<h2>Last imports</h2>"
            + Table(["Partner", "Source", "Finished", "Entries", "Report"], importRows, "directory-imports");
        return Page(context, "Service directory", body);
    }

    private static string Category(HealthcareService service) =>
        service.Category.SelectMany(c => c.Coding).Select(c => c.Code).FirstOrDefault(c => c is not null) ?? "—";

    private static string Capacity(ServiceCapacity capacity) =>
        (capacity.AcceptsReferrals ? "takes referrals" : "<span class=\"error\">no capacity</span>")
        + (capacity.ExpectedWait is { Value: { } wait } duration ? $"<br><span class=\"muted\">wait {E(wait.ToString(System.Globalization.CultureInfo.InvariantCulture))} {E(duration.Unit ?? duration.Code)}</span>" : "");

    // The report's lines that did something or went wrong; unchanged entries only counted.
    private static string Report(string json)
    {
        using var report = JsonDocument.Parse(json);
        var lines = report.RootElement.EnumerateArray()
            .Where(l => l.GetProperty("outcome").GetString() != DirectoryEntryOutcome.Unchanged)
            .Select(l => $"{E(l.GetProperty("sourceId").GetString())}: {E(l.GetProperty("outcome").GetString())}"
                + string.Concat(l.GetProperty("issues").EnumerateArray().Select(i => $" <span class=\"error\">{E(i.GetProperty("location").GetString())}: {E(i.GetProperty("message").GetString())}</span>")))
            .ToList();
        return lines.Count == 0 ? "<span class=\"muted\">nothing changed</span>" : string.Join("<br>", lines);
    }

    private static async Task<List<T>> CurrentAsync<T>(NpgsqlDataSource dataSource, string type, CancellationToken ct) where T : Resource
    {
        await using var command = dataSource.CreateCommand("""
            select v.body::text from resource r join resource_version v on v.resource_key = r.resource_key and v.version = r.version
            where r.resource_type = $1 and not r.is_deleted order by r.resource_key limit $2
            """);
        command.Parameters.Add(new() { Value = type });
        command.Parameters.Add(new() { Value = MaxServices });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var resources = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            resources.Add((T)FhirSerialization.FromStoredJson(reader.GetString(0)));
        }

        return resources;
    }
}
