using System.Text.Json;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Records;

/// <summary>
/// What <see cref="ReferralLinker"/> confirms of a referral's patient: its identifiers, surnames and
/// birth date. A Patient read from the store is read for these from its stored JSON, not parsed
/// into a <see cref="Patient"/> (issue 18, eleventh pass: the parse was 4.5 % of a wor-export
/// send's gateway CPU, for three fields); one the transaction already holds parsed is read from that.
/// </summary>
internal sealed class LinkedPatient
{
    private readonly List<(string? System, string? Value)> _identifiers = [];
    private readonly List<string?> _families = [];

    private LinkedPatient(string id) => Id = id;

    public string Id { get; }

    public string? BirthDate { get; private set; }

    public bool HasIdentifier(string system, string value) => _identifiers.Exists(i => i.System == system && i.Value == value);

    public bool HasFamily(string family) =>
        _families.Exists(f => string.Equals(f?.Trim(), family.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <returns>null when <paramref name="stored"/> is not a Patient (deleted, or of another type).</returns>
    public static LinkedPatient? Of(StoredResource stored) =>
        stored switch
        {
            { ResourceType: "Patient", IsParsed: false, Utf8Json: { } json } => FromJson(stored.Id, json),
            { Resource: Patient patient } => FromPatient(stored.Id, patient),
            _ => null,
        };

    private static LinkedPatient FromPatient(string id, Patient patient)
    {
        var facts = new LinkedPatient(id) { BirthDate = patient.BirthDate };
        facts._identifiers.AddRange(patient.Identifier.Select(i => (i.System, i.Value)));
        facts._families.AddRange(patient.Name.Select(n => n.Family));
        return facts;
    }

    // The stored JSON is the gateway's own serialization of a valid Patient: the three are top-level
    // members ("identifier": [{"system", "value"}], "name": [{"family"}], "birthDate"). A JsonDocument
    // is a fraction of Firely's parse into a POCO, and reads only what is asked.
    private static LinkedPatient FromJson(string id, byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var facts = new LinkedPatient(id) { BirthDate = Text(root, "birthDate") };
        facts._identifiers.AddRange(Items(root, "identifier").Select(i => (Text(i, "system"), Text(i, "value"))));
        facts._families.AddRange(Items(root, "name").Select(n => Text(n, "family")));
        return facts;
    }

    private static IEnumerable<JsonElement> Items(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var items) && items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.Object)
            : [];

    private static string? Text(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
