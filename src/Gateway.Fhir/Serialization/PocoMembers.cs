using System.Collections;
using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Hl7.Fhir.Introspection;
using Hl7.Fhir.Model;
using Expression = System.Linq.Expressions.Expression;

namespace Gateway.Fhir.Serialization;

/// <summary>
/// A FHIR class's members in the order Firely's <c>EnumerateElements</c> yields them (its class
/// mapping's, by <c>Order</c>), each read by a compiled getter. <c>EnumerateElements</c> costs an
/// iterator for every class in an object's hierarchy, and a list member's property creates an empty
/// list the first time it is read (as <c>HasElements</c> does for a primitive's extensions): a list
/// is read from its field instead, and an empty or absent one counts as absent, as Firely skips it.
/// </summary>
internal static class PocoMembers
{
    private static readonly ConcurrentDictionary<Type, Member[]?> Classes = new();

    /// <param name="Name">The JSON name (for value[x], the stem: "value").</param>
    /// <param name="Choice">value[x]: Firely adds the value's type to the name.</param>
    /// <param name="Read">The value, or null where Firely yields nothing (absent, or an empty list).</param>
    internal sealed record Member(string Name, bool Choice, Func<Base, object?> Read);

    /// <returns>The members, or null for a class this cannot read as Firely does (the caller lets Firely write).</returns>
    public static Member[]? Of(Type type) => Classes.GetOrAdd(type, Map);

    /// <summary>Whether a primitive is its value alone: no id, no extension, nothing else Firely would write as "_name".</summary>
    public static bool IsPlain(PrimitiveType primitive)
    {
        if (primitive.HasOverflow || Of(primitive.GetType()) is not { } members)
        {
            return false;
        }

        foreach (var member in members)
        {
            if (member.Read(primitive) is not null)
            {
                return false;
            }
        }

        return true;
    }

    private static Member[]? Map(Type type)
    {
        if (ModelInfo.ModelInspector.FindOrImportClassMapping(type) is not { } mapping)
        {
            return null;
        }

        var members = new List<Member>();
        foreach (var property in mapping.PropertyMappings.OrderBy(p => p.Order))
        {
            if (property.RepresentsValueElement)
            {
                continue; // a primitive's own value, written by the caller
            }

            if (Getter(type, property) is not { } read)
            {
                return null;
            }

            members.Add(new Member(property.Name, property.Choice == ChoiceType.DatatypeChoice, read));
        }

        return [.. members];
    }

    private static Func<Base, object?>? Getter(Type type, PropertyMapping property)
    {
        if (property.NativeProperty is not { GetMethod: not null } native)
        {
            return null;
        }

        var instance = Expression.Parameter(typeof(Base), "instance");
        var typed = Expression.Convert(instance, type);
        if (!property.IsCollection)
        {
            return Expression.Lambda<Func<Base, object?>>(Expression.Convert(Expression.Property(typed, native), typeof(object)), instance).Compile();
        }

        // Firely's generated lists: "public List<X> Name { get { if (_Name == null) _Name = new ...; return _Name; } }".
        var field = native.DeclaringType?.GetField("_" + native.Name, BindingFlags.NonPublic | BindingFlags.Instance);
        if (field is null || field.FieldType != native.PropertyType || !typeof(ICollection).IsAssignableFrom(field.FieldType))
        {
            return null;
        }

        var list = Expression.Lambda<Func<Base, ICollection?>>(Expression.Field(typed, field), instance).Compile();
        return instance => list(instance) is { Count: > 0 } items ? items : null;
    }
}
