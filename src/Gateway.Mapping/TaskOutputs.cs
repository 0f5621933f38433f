using Hl7.Fhir.Model;

namespace Gateway.Mapping;

/// <summary>The Task.output entries of the IG's task-output-type code system.</summary>
internal static class TaskOutputs
{
    public static Hl7.Fhir.Model.Task.OutputComponent ResultingActivity(string activityCode, string? text) =>
        new()
        {
            Type = new CodeableConcept(Canonicals.TaskOutputType, "resulting-activity"),
            Value = new CodeableConcept(Canonicals.SocialPrescribingActivity, activityCode) { Text = text },
        };

    public static Hl7.Fhir.Model.Task.OutputComponent AdditionalContent(MeasureResponse measure) =>
        new()
        {
            Type = new CodeableConcept(Canonicals.TaskOutputType, "additional-content"),
            Value = new ResourceReference(measure.FullUrl),
        };

    public static IReadOnlyList<Annotation> Notes(string? text, bool consentToShare, DateTimeOffset time) =>
        consentToShare && !string.IsNullOrWhiteSpace(text)
            ? [new Annotation { Text = new Markdown(text), Time = new FhirDateTime(time).Value }]
            : [];
}
