using System.Text.RegularExpressions;

namespace Gateway.Fhir.Partners;

/// <summary>What a scope in the partners file or a token request may look like: SMART v2/v1 system scopes and the gateway's own.</summary>
public static partial class ScopeSyntax
{
    public static bool IsValid(string scope) => SmartScope().IsMatch(scope) || scope == "gateway/records.write";

    // system/Task.rus, system/*.cruds, system/Task.read (v1), system/*.* (v1)
    [GeneratedRegex("^system/(\\*|[A-Z][A-Za-z]+)\\.((?=[cruds])c?r?u?d?s?|read|write|\\*)$")]
    private static partial Regex SmartScope();
}
