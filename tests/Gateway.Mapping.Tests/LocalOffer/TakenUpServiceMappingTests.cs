using System.Text;
using System.Text.Json.Nodes;
using Gateway.Mapping.HousingCase;
using Gateway.Mapping.LocalOffer;
using Gateway.Mapping.WorExport;
using Hl7.Fhir.Model;

namespace Gateway.Mapping.Tests.LocalOffer;

/// <summary>Issue 20: the service taken up, named in housing-case/v1 and wor-export/v1, as a resulting-activity output referencing the HealthcareService.</summary>
public sealed class TakenUpServiceMappingTests
{
    private static readonly KnownService Garden = new("garden-1", "Caldmore Garden Volunteers", Active: true);
    private static readonly KnownService Closed = new("closed-1", "Closed Choir", Active: false);

    private readonly HousingCaseMapper _housing = new(TestFiles.HousingCaseStatuses());
    private readonly WorExportMapper _wor = new(TestFiles.WorStatuses());

    private static KnownService? Directory(ServiceKey key) => key switch
    {
        { Kind: ServiceKeyKind.GatewayId, Value: "garden-1" } or { Kind: ServiceKeyKind.SourceId, Value: "svc-garden" } => Garden,
        { Kind: ServiceKeyKind.GatewayId, Value: "closed-1" } => Closed,
        _ => null,
    };

    private static string HousingCase(Action<JsonObject> activity)
    {
        var document = JsonNode.Parse(TestFiles.Sample("housing-case/02-closed-completed.json"))!;
        activity(document["activities"]![1]!.AsObject());
        return document.ToJsonString();
    }

    private static List<ResourceReference> References(ReferralUpdate update) =>
        update.Task.Outputs.Where(o => o.Type.Coding.Single().Code == "resulting-activity").Select(o => o.Value).OfType<ResourceReference>().ToList();

    [Theory]
    [InlineData("serviceId", "HealthcareService/garden-1")]
    [InlineData("serviceId", "garden-1")]
    [InlineData("sourceServiceId", "svc-garden")]
    public void A_housing_case_activity_naming_its_service_adds_an_output_referencing_it(string field, string value)
    {
        var json = HousingCase(a => a[field] = value);

        var result = _housing.Map(json, TestFiles.ReceivedAt, services: Directory);

        Assert.Empty(result.Issues);
        var reference = Assert.Single(References(result.Value!));
        Assert.Equal(("HealthcareService/garden-1", "Caldmore Garden Volunteers"), (reference.Reference, reference.Display));
        Assert.Equal(3, result.Value!.Task.Outputs.Count(o => o.Value is CodeableConcept));
        Assert.Equal([new ServiceKey(field == "serviceId" ? ServiceKeyKind.GatewayId : ServiceKeyKind.SourceId, value.Replace("HealthcareService/", "", StringComparison.Ordinal))],
            HousingCaseMapper.ServiceKeys(json));
    }

    [Theory]
    [InlineData("serviceId", "HealthcareService/nope", "unknown-service", "is not a service in the gateway's directory")]
    [InlineData("sourceServiceId", "svc-nope", "unknown-service", "is not a service of your directory source")]
    [InlineData("serviceId", "closed-1", "invalid-value", "HealthcareService/closed-1 (Closed Choir), which is not active")]
    [InlineData("serviceId", "not an id!", "invalid-format", "is not a HealthcareService id")]
    public void An_unknown_or_inactive_service_rejects_the_record_at_its_field(string field, string value, string code, string says)
    {
        var result = _housing.Map(HousingCase(a => a[field] = value), TestFiles.ReceivedAt, services: Directory);

        Assert.False(result.IsAccepted);
        var issue = Assert.Single(result.Issues);
        Assert.Equal((code, $"$.activities[1].{field}"), (issue.CodeText, issue.Location));
        Assert.Contains(says, issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_directory_lookup_the_service_is_left_to_the_caller_as_offline_validation_does()
    {
        var result = _housing.Map(HousingCase(a => a["serviceId"] = "HealthcareService/anything"), TestFiles.ReceivedAt);

        Assert.Empty(result.Issues);
        Assert.Empty(References(result.Value!));
        Assert.Equal("$.activities[1].serviceId", Assert.Single(_housing.Map(HousingCase(a => a["serviceId"] = "not an id!"), TestFiles.ReceivedAt).Issues).Location);
    }

    [Fact]
    public void An_activity_naming_its_service_both_ways_is_rejected()
    {
        var result = _housing.Map(HousingCase(a => { a["serviceId"] = "garden-1"; a["sourceServiceId"] = "svc-garden"; }), TestFiles.ReceivedAt, services: Directory);

        Assert.Equal("$.activities[1].sourceServiceId", Assert.Single(result.Issues).Location);
    }

    [Fact]
    public void A_planned_activity_is_checked_but_not_an_output()
    {
        var json = HousingCase(a => { a["serviceId"] = "garden-1"; a["status"] = "planned"; });

        Assert.Empty(References(_housing.Map(json, TestFiles.ReceivedAt, services: Directory).Value!));
        Assert.False(_housing.Map(HousingCase(a => { a["serviceId"] = "nope"; a["status"] = "planned"; }), TestFiles.ReceivedAt, services: Directory).IsAccepted);
    }

    private static WorExportRow Row(string extraHeader, string extraValues)
    {
        var header = "verwijzing_id;verwijzer_agb;achternaam;geboortedatum;postcode;status;status_datum;welzijnscoach;arrangement;pg_meetdatum;pg_lichaamsfuncties;pg_mentaal_welbevinden;pg_zingeving;pg_kwaliteit_van_leven;pg_meedoen;pg_dagelijks_functioneren;toestemming_delen;terugkoppeling";
        var row = "WOR-2026-0092;01234567;Jansen;03-07-1985;8262 CD;arrangement_gestart;15-10-2026;A. Bakker;Moestuin;;;;;;;;ja;";
        using var reader = WorExportCsvReader.Open(new MemoryStream(Encoding.UTF8.GetBytes($"{header}{extraHeader}\n{row}{extraValues}\n")));
        Assert.Empty(reader.ReadHeader());
        return reader.ReadRows().Single();
    }

    [Theory]
    [InlineData(";activiteit_id", ";svc-garden")]
    [InlineData(";healthcareservice_id", ";HealthcareService/garden-1")]
    [InlineData(";activiteit_id;healthcareservice_id", ";;garden-1")]
    public void A_wor_export_row_naming_its_activity_adds_an_output_referencing_the_service(string extraHeader, string extraValues)
    {
        var result = _wor.Map(Row(extraHeader, extraValues), TestFiles.ReceivedAt, services: Directory);

        Assert.Empty(result.Issues);
        Assert.Equal("HealthcareService/garden-1", Assert.Single(References(result.Value!)).Reference);
        Assert.Contains(result.Value!.Task.Outputs, o => o.Value is CodeableConcept { Text: "Moestuin" });
    }

    [Fact]
    public void An_unknown_activiteit_id_rejects_the_row_at_its_column()
    {
        var issue = Assert.Single(_wor.Map(Row(";activiteit_id", ";onbekend"), TestFiles.ReceivedAt, services: Directory).Issues);

        Assert.Equal(("unknown-service", "row 1, column activiteit_id"), (issue.CodeText, issue.Location));
        Assert.Contains("'onbekend'", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_optional_columns_left_empty_or_out_keep_the_rows_key_so_an_older_export_stays_unchanged()
    {
        var without = Row("", "");

        Assert.Equal(without.ContentHash, Row(";activiteit_id;healthcareservice_id", ";;").ContentHash);
        Assert.NotEqual(without.ContentHash, Row(";activiteit_id", ";svc-garden").ContentHash);
        Assert.Empty(_wor.Map(without, TestFiles.ReceivedAt).Issues);
    }
}
