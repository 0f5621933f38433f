using Gateway.Mapping.Measures;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Gateway.Mapping.Tests.Measures;

/// <summary>The measures answer the IG's Questionnaires exactly: canonical, linkIds in order, answer types.</summary>
public sealed class QuestionnaireLinkIdTests
{
    private static Questionnaire Load(string file) => new FhirJsonDeserializer().Deserialize<Questionnaire>(TestFiles.Profile(file));

    [Fact]
    public void Ons4_uses_the_questionnaires_canonical_linkIds_and_integer_answers()
    {
        var questionnaire = Load("Questionnaire-ons4.json");

        Assert.Equal(Ons4.Canonical, questionnaire.Url);
        Assert.Equal(questionnaire.Item.Select(i => i.LinkId), Ons4.LinkIds);
        Assert.All(questionnaire.Item, i => Assert.Equal(Questionnaire.QuestionnaireItemType.Integer, i.Type));
    }

    [Fact]
    public void Positive_health_uses_the_questionnaires_canonical_linkIds_and_decimal_answers()
    {
        var questionnaire = Load("Questionnaire-positive-health.json");

        Assert.Equal(PositiveHealth.Canonical, questionnaire.Url);
        Assert.Equal(questionnaire.Item.Select(i => i.LinkId), PositiveHealth.LinkIds);
        Assert.All(questionnaire.Item, i => Assert.Equal(Questionnaire.QuestionnaireItemType.Decimal, i.Type));
    }
}
