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

    /// <summary>The directory service the patient took up (SPEC §11), as a provider records it by FHIR.</summary>
    public static Hl7.Fhir.Model.Task.OutputComponent ResultingService(string reference, string? name) =>
        new()
        {
            Type = new CodeableConcept(Canonicals.TaskOutputType, "resulting-activity"),
            Value = new ResourceReference(reference, name),
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
