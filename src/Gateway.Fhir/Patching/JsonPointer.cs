using System.Globalization;

namespace Gateway.Fhir.Patching;

/// <summary>A JSON Pointer (RFC 6901): the reference tokens of a path such as <c>/identifier/0/value</c>.</summary>
public sealed class JsonPointer
{
    private JsonPointer(IReadOnlyList<string> tokens) => Tokens = tokens;

    public IReadOnlyList<string> Tokens { get; }

    public bool IsRoot => Tokens.Count == 0;

    public JsonPointer Parent => new(Tokens.Take(Tokens.Count - 1).ToArray());

    public string Last => Tokens[^1];

    public static bool TryParse(string text, out JsonPointer parsed, out string problem)
    {
        parsed = new JsonPointer([]);
        problem = "";
        if (text.Length == 0)
        {
            return true;
        }

        if (text[0] != '/')
        {
            problem = "it must be empty or start with '/'";
            return false;
        }

        var tokens = text[1..].Split('/');
        foreach (var token in tokens)
        {
            // RFC 6901 §3: '~' only as ~0 ('~') or ~1 ('/').
            var tilde = token.IndexOf('~', StringComparison.Ordinal);
            while (tilde >= 0)
            {
                if (tilde + 1 == token.Length || token[tilde + 1] is not ('0' or '1'))
                {
                    problem = "'~' must be followed by 0 or 1";
                    return false;
                }

                tilde = token.IndexOf('~', tilde + 2);
            }
        }

        // RFC 6901 §4: ~1 first, then ~0, so that "~01" becomes "~1" and not "/".
        parsed = new JsonPointer(Array.ConvertAll(tokens, t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)));
        return true;
    }

    /// <summary>
    /// RFC 6901 §4 array-index ("0" or digits without a leading zero) below <paramref name="count"/>;
    /// with <paramref name="allowEnd"/> also <paramref name="count"/> itself, written as a number or "-" (RFC 6902 §4.1).
    /// </summary>
    public static bool TryArrayIndex(string token, int count, bool allowEnd, out int index)
    {
        index = -1;
        if (allowEnd && token == "-")
        {
            index = count;
            return true;
        }

        var wellFormed = token.Length > 0 && token.All(char.IsAsciiDigit) && (token == "0" || token[0] != '0');
        if (!wellFormed || !int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out index))
        {
            return false;
        }

        return index < count || (allowEnd && index == count);
    }

    public bool IsProperPrefixOf(JsonPointer other) =>
        other.Tokens.Count > Tokens.Count && Tokens.SequenceEqual(other.Tokens.Take(Tokens.Count), StringComparer.Ordinal);

    public bool SameAs(JsonPointer other) => Tokens.SequenceEqual(other.Tokens, StringComparer.Ordinal);

    public JsonPointer Prefix(int tokenCount) => new(Tokens.Take(tokenCount).ToArray());

    /// <summary>The pointer as written in a patch; the whole document shows as <c>""</c> so messages never print nothing.</summary>
    public override string ToString() =>
        IsRoot ? "\"\"" : string.Concat(Tokens.Select(t => "/" + t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)));
}
