using System.Globalization;
using System.Text.RegularExpressions;

namespace Gateway.Fhir.Storage;

/// <summary>The shapes of resource ids and version tags, checked the same way wherever they arrive.</summary>
public static partial class ResourceId
{
    /// <summary>FHIR R4 datatypes.html#id: 1 to 64 of [A-Za-z0-9-.].</summary>
    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    /// <summary>The version in a tag <c>W/"3"</c>, <c>"3"</c> or <c>3</c> (FHIR R4 http.html#concurrency).</summary>
    public static bool TryParseVersionTag(string tag, out int version)
    {
        var text = (tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag).Trim('"');
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out version);
    }

    [GeneratedRegex("^[A-Za-z0-9\\-\\.]{1,64}$")]
    private static partial Regex Pattern();
}
