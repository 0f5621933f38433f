using Gateway.Fhir.Terminology;
using Gateway.Fhir.Validation;

namespace Gateway.Fhir.Conformance;

/// <summary>
/// Reads profiles/ (its top level; examples/ below it are not part of the guide), parses each file
/// strictly, checks the set as a whole and expands the value sets. Any problem throws
/// <see cref="ConformanceLoadException"/> naming the files, so a broken guide stops the start.
/// </summary>
public static class ConformanceFolder
{
    public static ConformanceResources Load(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new ConformanceLoadException(folder, [$"The folder does not exist (set Gateway:ProfilesFolder)."]);
        }

        var problems = new List<string>();
        var files = new List<ConformanceFile>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            var parsed = ResourceParser.ParseJson(File.ReadAllBytes(path));
            if (parsed.Succeeded)
            {
                files.Add(new ConformanceFile(name, parsed.Resource!));
            }
            else
            {
                problems.AddRange(parsed.Issues.Select(i => $"{name}: {string.Join(", ", i.Expression)} {i.Diagnostics}".Trim()));
            }
        }

        problems.AddRange(ConformanceChecks.Check(files));
        if (problems.Count > 0)
        {
            throw new ConformanceLoadException(folder, problems);
        }

        var expansions = ValueSetExpansions.Expand(files, out var expansionProblems);
        return expansionProblems.Count > 0
            ? throw new ConformanceLoadException(folder, expansionProblems)
            : new ConformanceResources(folder, files, expansions);
    }
}
