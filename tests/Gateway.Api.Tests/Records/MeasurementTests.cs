using System.Net;
using System.Text;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Records;

/// <summary>Issue 17, item 5: a measurement is one per referral, questionnaire and date, however many rows report it.</summary>
public sealed class MeasurementTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private const string Header = "verwijzing_id;verwijzer_agb;achternaam;geboortedatum;postcode;status;status_datum;welzijnscoach;arrangement;pg_meetdatum;pg_lichaamsfuncties;pg_mentaal_welbevinden;pg_zingeving;pg_kwaliteit_van_leven;pg_meedoen;pg_dagelijks_functioneren;toestemming_delen;terugkoppeling";

    private static byte[] File(string scores, string feedback) =>
        Encoding.UTF8.GetBytes($"{Header}\nWOR-2026-0091;01234567;de Vries;14-02-1948;8261 AB;intake_gehad;02-10-2026;A. Bakker;;02-10-2026;{scores};ja;{feedback}\n");

    [Fact]
    public async System.Threading.Tasks.Task A_row_differing_only_in_its_feedback_keeps_one_measurement_and_other_scores_update_it()
    {
        var gp = await gateway.CreateClientAsync(TestPartners.DutchGp);
        var welfare = await gateway.CreateClientAsync(TestPartners.Welfare);
        var requests = await WorExportReferrals.CreateAsync(gp);
        using (var first = await welfare.PostBatchAsync("wor-export/v1", File("5;4;3,5;4;2;6", "Intake gehad."), "text/csv"))
        {
            var report = await first.JsonAsync();
            Assert.True(report.GetProperty("records")[0].GetProperty("outcome").GetString() == "accepted", report.ToString());
        }

        using var second = await welfare.PostBatchAsync("wor-export/v1", File("5;4;3,5;4;2;6", "Intake gehad, belt volgende week terug."), "text/csv");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var resent = await second.JsonAsync();
        Assert.True(resent.GetProperty("records")[0].GetProperty("outcome").GetString() == "accepted", resent.ToString());
        var measure = (QuestionnaireResponse)Assert.Single((await gp.SearchAsync($"QuestionnaireResponse?based-on=ServiceRequest/{requests["WOR-2026-0091"]}")).Entry).Resource;
        Assert.Equal("1", measure.Meta.VersionId);

        using var corrected = await welfare.PostBatchAsync("wor-export/v1", File("5;4;3,5;4;2;7", "Intake gehad."), "text/csv");

        Assert.Equal("accepted", (await corrected.JsonAsync()).GetProperty("records")[0].GetProperty("outcome").GetString());
        measure = (QuestionnaireResponse)Assert.Single((await gp.SearchAsync($"QuestionnaireResponse?based-on=ServiceRequest/{requests["WOR-2026-0091"]}")).Entry).Resource;
        Assert.Equal("2", measure.Meta.VersionId);
    }
}
