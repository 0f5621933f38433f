using System.Text;
using System.Text.Json.Nodes;
using Gateway.Fhir.Export;

namespace Gateway.Fhir.Tests.Export;

/// <summary>What an evaluator's export keeps of a stored resource (SPEC §10), rule by rule, without a database.</summary>
public sealed class ExportPseudonymiserTests
{
    private static readonly ExportPseudonyms Pseudonyms = new(Encoding.UTF8.GetBytes("a test secret of thirty-two bytes"));

    private static JsonObject Export(string json) => ExportPseudonymiser.Pseudonymise(JsonNode.Parse(json)!.AsObject(), Pseudonyms);

    [Fact]
    public void A_patient_keeps_its_gender_birth_year_postcode_district_and_country_only()
    {
        var exported = Export("""
            {"resourceType":"Patient","id":"p1","meta":{"versionId":"2","lastUpdated":"2026-12-01T10:00:00Z","source":"#hillside","tag":[{"code":"x"}]},
             "identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9995908301"}],"name":[{"family":"Okafor","given":["Margaret"]}],
             "telecom":[{"system":"phone","value":"01922 000111"}],"gender":"female","birthDate":"1951-03-08",
             "address":[{"line":["14 Birchwood Close"],"city":"Walsall","postalCode":"WS2 8LD","country":"GB"},{"postalCode":"8261 CJ","country":"NL"}],
             "generalPractitioner":[{"reference":"Organization/hillside-gp","display":"Hillside"},{"reference":"Practitioner/dr-x"}],
             "extension":[{"url":"https://example.org/ethnicity","valueString":"x"}]}
            """);

        Assert.Equal(
            $$"""{"resourceType":"Patient","id":"{{Pseudonyms.Of("Patient", "p1")}}","meta":{"versionId":"2","lastUpdated":"2026-12-01T10:00:00Z"},"gender":"female","birthDate":"1951","address":[{"postalCode":"WS2","country":"GB"},{"postalCode":"8261","country":"NL"}],"generalPractitioner":[{"reference":"Organization/hillside-gp"}]}""",
            exported.ToJsonString());
    }

    [Fact]
    public void References_to_exported_types_become_pseudonyms_and_others_but_the_directory_go()
    {
        var exported = Export("""
            {"resourceType":"Task","id":"t1","identifier":[{"value":"T-1"}],"status":"accepted","intent":"order","description":"Call Margaret on 01922 000111",
             "focus":{"reference":"ServiceRequest/sr1","display":"Margaret's referral"},"for":{"reference":"https://gateway.example/fhir/Patient/p1/_history/3"},
             "owner":{"reference":"Organization/hfactor-housing"},"requester":{"reference":"Practitioner/dr-x"},
             "note":[{"text":"Margaret prefers mornings"}],"businessStatus":{"text":"contact attempted"},
             "output":[{"type":{"coding":[{"code":"outcome"}],"text":"Outcome"},"valueString":"moved to 3 Elm Road"},{"type":{"coding":[{"code":"measure"}]},"valueReference":{"reference":"QuestionnaireResponse/q1"}}]}
            """);

        Assert.Equal($"ServiceRequest/{Pseudonyms.Of("ServiceRequest", "sr1")}", (string?)exported["focus"]!["reference"]);
        Assert.Equal($"Patient/{Pseudonyms.Of("Patient", "p1")}", (string?)exported["for"]!["reference"]);
        Assert.Equal("Organization/hfactor-housing", (string?)exported["owner"]!["reference"]);
        Assert.Equal($"QuestionnaireResponse/{Pseudonyms.Of("QuestionnaireResponse", "q1")}", (string?)exported["output"]![1]!["valueReference"]!["reference"]);
        var text = exported.ToJsonString();
        foreach (var gone in new[] { "T-1", "Margaret", "01922", "dr-x", "mornings", "contact attempted", "Elm Road", "\"t1\"", "sr1", "p1" })
        {
            Assert.DoesNotContain(gone, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_measure_keeps_its_questions_and_numbers_but_no_free_text_answers()
    {
        var exported = Export("""
            {"resourceType":"QuestionnaireResponse","id":"q1","status":"completed","questionnaire":"https://interop-gateway.example/fhir/Questionnaire/ons4",
             "subject":{"reference":"Patient/p1"},"author":{"reference":"Organization/hfactor-housing"},
             "item":[{"linkId":"happy","text":"How happy did you feel yesterday?","answer":[{"valueInteger":3}]},{"linkId":"comment","text":"Anything else?","answer":[{"valueString":"My neighbour Bob visits"}]}]}
            """);

        Assert.Equal("How happy did you feel yesterday?", (string?)exported["item"]![0]!["text"]);
        Assert.Equal(3, (int?)exported["item"]![0]!["answer"]![0]!["valueInteger"]);
        Assert.Null(exported["item"]![1]!["answer"]);
        Assert.Equal("https://interop-gateway.example/fhir/Questionnaire/ons4", (string?)exported["questionnaire"]);
    }

    [Fact]
    public void Each_secret_gives_its_own_pseudonyms_and_the_same_one_again()
    {
        var other = new ExportPseudonyms(Encoding.UTF8.GetBytes("another evaluator's secret bytes"));

        Assert.Equal(Pseudonyms.Of("Patient", "p1"), new ExportPseudonyms(Encoding.UTF8.GetBytes("a test secret of thirty-two bytes")).Of("Patient", "p1"));
        Assert.NotEqual(Pseudonyms.Of("Patient", "p1"), other.Of("Patient", "p1"));
        Assert.NotEqual(Pseudonyms.Of("Patient", "p1"), Pseudonyms.Of("Consent", "p1"));
        Assert.Matches("^[0-9a-f]{40}$", Pseudonyms.Of("Patient", "p1"));
    }

    [Theory]
    [InlineData("WS2 8LD", "WS2")]
    [InlineData("ws28ld", "WS2")]
    [InlineData("EC1A 1BB", "EC1A")]
    [InlineData("M1 1AE", "M1")]
    [InlineData("8261 CJ", "8261")]
    [InlineData("8261CJ", "8261")]
    [InlineData("Kampen", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void A_postcode_becomes_its_district(string? postcode, string? district) => Assert.Equal(district, PostcodeDistrict.Of(postcode));
}
