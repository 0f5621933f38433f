using System.Text.RegularExpressions;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Access;

/// <summary>
/// Finds and removes every BSN in a resource at any depth: bundle entries and the bundles nested
/// in them, contained resources, Parameters, references by identifier. Walks Firely's own element
/// enumeration, so no path is hardcoded and a new shape of response cannot slip past.
/// </summary>
internal static partial class BsnMasking
{
    // FHIR R4 extension-data-absent-reason: "masked", the value exists but may not be shown.
    private const string DataAbsentReason = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";

    public static bool Holds(Base element) =>
        Children(element).Any(child => (child.Element is Identifier identifier && BsnSystems.IsBsn(identifier.System)) || Holds(child.Element));

    /// <summary>Masks in place: a Patient's BSN becomes its client number, a reference's BSN the client number of the Patient it names, any other BSN is absent (masked).</summary>
    public static void Mask(Base element, bool contained = false)
    {
        switch (element)
        {
            case Patient patient:
                MaskPatient(patient, contained);
                break;
            case ResourceReference { Identifier: { } identifier } reference when BsnSystems.IsBsn(identifier.System):
                reference.Identifier = PatientId(reference.Reference) is { } id
                    ? new Identifier(DataMinimisation.ClientNumberSystem, DataMinimisation.ClientNumber(id))
                    : null;
                break;
        }

        foreach (var (name, child) in Children(element).ToList())
        {
            if (child is Identifier identifier && BsnSystems.IsBsn(identifier.System))
            {
                identifier.System = null;
                identifier.Value = null;
                identifier.Extension.Add(new Extension(DataAbsentReason, new Code("masked")));
            }

            Mask(child, contained || (element is DomainResource && name == "contained"));
        }
    }

    private static void MaskPatient(Patient patient, bool contained)
    {
        var bsns = patient.Identifier.Where(i => BsnSystems.IsBsn(i.System)).Select(i => i.Value).ToList();
        if (bsns.Count == 0)
        {
            return;
        }

        patient.Identifier.RemoveAll(i => BsnSystems.IsBsn(i.System));
        // A contained Patient's id is local to its container, so it has no client number.
        if (!contained && patient.Id is not null && !patient.Identifier.Any(i => i.System == DataMinimisation.ClientNumberSystem))
        {
            patient.Identifier.Add(new Identifier(DataMinimisation.ClientNumberSystem, DataMinimisation.ClientNumber(patient.Id)));
        }

        if (patient.Text?.Div is { } div && bsns.Any(bsn => bsn is not null && div.Contains(bsn, StringComparison.Ordinal)))
        {
            patient.Text = null;
        }
    }

    private static IEnumerable<(string Name, Base Element)> Children(Base element) =>
        element.EnumerateElements().SelectMany(pair => pair.Value switch
        {
            IReadOnlyList<Base> list => list.Select(child => (pair.Key, child)),
            Base child => [(pair.Key, child)],
            _ => [],
        });

    private static string? PatientId(string? reference) =>
        reference is not null && PatientReference().Match(reference) is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex(@"(?:^|/)Patient/([A-Za-z0-9\-\.]{1,64})(?:/_history/[^/]+)?$")]
    private static partial Regex PatientReference();
}
