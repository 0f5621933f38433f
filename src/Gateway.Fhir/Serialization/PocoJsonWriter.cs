using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Gateway.Fhir.Serialization;

/// <summary>
/// Writes a resource as Firely's <see cref="BaseFhirJsonSerializer"/> does, without what made it the
/// largest item of a wor-export row's gateway CPU (issue 18, twelfth pass: 22 % of the samples, a
/// Task version, a Provenance and a measure a row): an iterator a primitive to ask whether it has an
/// id or extensions, two concurrent look-ups a member, a pruning writer that postpones every opening
/// token. The members are those Firely's walk (<c>EnumerateElements</c>) yields, in the same order,
/// read through <see cref="PocoMembers"/> without its iterators (thirteenth pass); the member names and
/// primitive values are written as its serializer writes them, into the same
/// <see cref="Utf8JsonWriter"/>. Whatever it would have to prune or split gives up instead
/// (<see cref="TryWrite"/> false), and the caller lets Firely write the resource: a primitive with an
/// id or extensions (<c>_name</c>), one without a value, an object with no members, a null in a
/// list, base64 data, a member Firely's model does not map. <c>CompactJsonWriterTests</c> and
/// <c>PocoJsonWriterTests</c> compare the two.
/// </summary>
internal static class PocoJsonWriter
{
    /// <returns>false, with the writer holding part of the resource, where Firely must write it.</returns>
    public static bool TryWrite(Resource resource, Utf8JsonWriter writer) =>
        resource is not DynamicResource && WriteObject(resource, writer);

    private static bool WriteObject(Base element, Utf8JsonWriter writer)
    {
        // Overflow: members Firely's model does not map, which it would write too.
        if (element.HasOverflow || PocoMembers.Of(element.GetType()) is not { } members)
        {
            return false;
        }

        writer.WriteStartObject();
        if (element is Resource resource)
        {
            writer.WriteString("resourceType", resource.TypeName);
        }

        var any = false;
        foreach (var member in members)
        {
            if (member.Read(element) is not { } value)
            {
                continue;
            }

            var name = member.Choice ? WithTypeSuffix(member.Name, value) : member.Name;
            if (!WriteMember(name, value, writer))
            {
                return false;
            }

            any = true;
        }

        writer.WriteEndObject();
        // Firely leaves an empty object out (and its name with it); the root is a resource with a type.
        return any || element is Resource;
    }

    private static bool WriteMember(string name, object value, Utf8JsonWriter writer)
    {
        switch (value)
        {
            case PrimitiveType primitive:
                if (PlainValue(primitive) is not { } plain)
                {
                    return false;
                }

                writer.WritePropertyName(name);
                WriteValue(plain, writer);
                return true;
            case IReadOnlyList<PrimitiveType?> primitives:
                writer.WriteStartArray(name);
                foreach (var primitive in primitives)
                {
                    if (primitive is null || PlainValue(primitive) is not { } item)
                    {
                        return false;
                    }

                    WriteValue(item, writer);
                }

                writer.WriteEndArray();
                return primitives.Count > 0;
            case IReadOnlyList<Base?> children:
                writer.WriteStartArray(name);
                foreach (var child in children)
                {
                    if (child is null || !WriteObject(child, writer))
                    {
                        return false;
                    }
                }

                writer.WriteEndArray();
                return children.Count > 0;
            case Base child:
                writer.WritePropertyName(name);
                return WriteObject(child, writer);
            default:
                return false;
        }
    }

    // The value of a primitive Firely writes as one property: a value, no id or extensions (no "_name"),
    // not base64 (written from bytes); else null. Read once: an instant's is formatted at every read.
    private static object? PlainValue(PrimitiveType primitive) =>
        primitive is Base64Binary || !PocoMembers.IsPlain(primitive) ? null : primitive.JsonValue;

    // BaseFhirJsonSerializer.SerializePrimitiveValue(object, Utf8JsonWriter), case for case (a null never comes here).
    private static void WriteValue(object value, Utf8JsonWriter writer)
    {
        switch (value)
        {
            case int number:
                writer.WriteNumberValue(number);
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            default:
                writer.WriteStringValue(PrimitiveTypeConverter.ConvertTo<string>(value));
                break;
        }
    }

    // As Firely names a choice element: its name and the value's type, capitalised.
    private static string WithTypeSuffix(string name, object value)
    {
        var typeName = value switch
        {
            IEnumerable<Base> values => values.FirstOrDefault()?.TypeName,
            Base single => single.TypeName,
            _ => null,
        };
        return typeName is null ? name : name + char.ToUpperInvariant(typeName[0]) + typeName[1..];
    }
}
