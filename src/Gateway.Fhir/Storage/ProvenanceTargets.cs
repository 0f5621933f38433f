using Hl7.Fhir.Model;

namespace Gateway.Fhir.Storage;

/// <summary>
/// What the Provenance a transaction wrote target, for <see cref="ResourceWriter.HasProvenanceFor"/>:
/// each Task change's follow-up asks it, and a chunk of 500 records writes about 3,000 changes,
/// so scanning them all for every question was quadratic (issue 18, eighth pass: 4.7 % of a
/// wor-export send's gateway CPU). The changes are read once each, in order, as the questions come.
/// A Provenance's targets are set when it is built and not changed after it is written.
/// </summary>
internal sealed class ProvenanceTargets
{
    private readonly HashSet<string> _targets = new(StringComparer.Ordinal);
    private int _read;

    public bool Has(IReadOnlyList<ResourceChange> changes, string versionReference)
    {
        for (; _read < changes.Count; _read++)
        {
            if (changes[_read].Current is Provenance provenance)
            {
                foreach (var target in provenance.Target)
                {
                    if (target.Reference is { } reference)
                    {
                        _targets.Add(reference);
                    }
                }
            }
        }

        return _targets.Contains(versionReference);
    }
}
