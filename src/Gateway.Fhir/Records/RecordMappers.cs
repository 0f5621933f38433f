using Gateway.Fhir.Conformance;
using Gateway.Mapping;
using Gateway.Mapping.HousingCase;
using Gateway.Mapping.Status;
using Gateway.Mapping.WorExport;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Records;

/// <summary>
/// The partner formats the gateway reads, each with its mapper built from the guide's ConceptMaps
/// at start (SPEC §4: a new partner vocabulary is a ConceptMap, not code), and the partner kind
/// that may send it.
/// </summary>
public sealed class RecordMappers
{
    public const string HousingReferralFormat = Gateway.Mapping.HousingReferral.HousingReferralMapper.Format;

    public RecordMappers(ConformanceResources guide)
    {
        ArgumentNullException.ThrowIfNull(guide);
        HousingCase = new HousingCaseMapper(Statuses(guide, Canonicals.HousingCaseStatus));
        WorExport = new WorExportMapper(Statuses(guide, Canonicals.WorStatus));
    }

    public HousingCaseMapper HousingCase { get; }

    public WorExportMapper WorExport { get; }

    /// <summary>The partner kinds that send each format.</summary>
    public static readonly IReadOnlyDictionary<string, string> SentBy = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [HousingCaseMapper.Format] = Partners.PartnerKinds.HousingProvider,
        [HousingReferralFormat] = Partners.PartnerKinds.HousingProvider,
        [WorExportCsvReader.Format] = Partners.PartnerKinds.WelfareOrganisation,
    };

    private static StatusTranslation Statuses(ConformanceResources guide, string sourceSystem) =>
        new(guide.OfType<ConceptMap>().FirstOrDefault(m => m.Group.Any(g => g.Source == sourceSystem))
            ?? throw new InvalidOperationException($"profiles/ has no ConceptMap from {sourceSystem}."));
}
