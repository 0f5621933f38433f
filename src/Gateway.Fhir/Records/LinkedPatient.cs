using System.Buffers;
using System.Text;
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
            { ResourceType: "Patient", IsParsed: false, Json: { } json } => FromJson(stored.Id, json),
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
    // members ("identifier": [{"system", "value"}], "name": [{"family"}], "birthDate"), and every other
    // member, nested ones included (a contained resource's names), is skipped whole.
    private static LinkedPatient FromJson(string id, string json)
    {
        var facts = new LinkedPatient(id);
        var utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var reader = new Utf8JsonReader(utf8.AsSpan(0, Encoding.UTF8.GetBytes(json, utf8)));
            reader.Read(); // the resource's object
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("identifier"u8))
                {
                    while (NextItem(ref reader))
                    {
                        string? system = null, value = null;
                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            if (reader.ValueTextEquals("system"u8))
                            {
                                system = StringValue(ref reader);
                            }
                            else if (reader.ValueTextEquals("value"u8))
                            {
                                value = StringValue(ref reader);
                            }
                            else
                            {
                                SkipValue(ref reader);
                            }
                        }

                        facts._identifiers.Add((system, value));
                    }
                }
                else if (reader.ValueTextEquals("name"u8))
                {
                    while (NextItem(ref reader))
                    {
                        string? family = null;
                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            if (reader.ValueTextEquals("family"u8))
                            {
                                family = StringValue(ref reader);
                            }
                            else
                            {
                                SkipValue(ref reader);
                            }
                        }

                        facts._families.Add(family);
                    }
                }
                else if (reader.ValueTextEquals("birthDate"u8))
                {
                    facts.BirthDate = StringValue(ref reader);
                }
                else
                {
                    SkipValue(ref reader);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }

        return facts;
    }

    // From a member's name to the next object of its array (true; the reader on its start), or past
    // the array's end (false). A member that is not an array of objects is skipped.
    private static bool NextItem(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.PropertyName)
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                return false;
            }
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }

    private static string? StringValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    private static void SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }
}
