using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Jobs.Retention;

/// <summary>
/// What retention leaves of a closed referral's resources (SPEC §5): pure, resource in, the same
/// resource changed out, and idempotent (anonymising twice is anonymising once). Coded content,
/// statuses and references stay, so the referral still counts in reports; what names or
/// describes the person goes.
/// </summary>
public static class Anonymiser
{
    /// <summary>HL7 v3 ObservationValue ANONY: the security label an anonymised version carries.</summary>
    public const string LabelSystem = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";
    public const string LabelCode = "ANONY";

    public static bool IsLabelled(Resource resource) => resource.Meta?.Security.Any(c => c.System == LabelSystem && c.Code == LabelCode) == true;

    public static void Anonymise(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (resource is DomainResource domain)
        {
            // The narrative repeats what is removed below.
            domain.Text = null;
        }

        switch (resource)
        {
            case Patient patient:
                patient.Identifier.Clear();
                patient.Name.Clear();
                patient.Telecom.Clear();
                patient.Address.Clear();
                patient.Contact.Clear();
                patient.Photo.Clear();
                patient.BirthDate = patient.BirthDate is { Length: >= 4 } birthDate ? birthDate[..4] : patient.BirthDate;
                break;
            case ServiceRequest request:
                request.Note.Clear();
                request.PatientInstruction = null;
                RemoveText(request.ReasonCode);
                request.ReasonCode.RemoveAll(c => c.Coding.Count == 0);
                break;
            case QuestionnaireResponse response:
                RemoveFreeText(response.Item);
                break;
            case FhirTask task:
                task.Note.Clear();
                task.Description = null;
                task.StatusReason = WithoutText(task.StatusReason);
                task.BusinessStatus = WithoutText(task.BusinessStatus);
                foreach (var output in task.Output)
                {
                    if (output.Value is CodeableConcept { Coding.Count: > 0 } value)
                    {
                        value.Text = null;
                    }
                }

                break;
        }

        resource.Meta ??= new Meta();
        if (!IsLabelled(resource))
        {
            resource.Meta.Security.Add(new Coding(LabelSystem, LabelCode, "anonymized"));
        }
    }

    private static void RemoveText(IEnumerable<CodeableConcept> concepts)
    {
        foreach (var concept in concepts)
        {
            RemoveText(concept);
        }
    }

    private static void RemoveText(CodeableConcept concept) => concept.Text = null;

    /// <summary>The concept without its words; null when words were all it had (an empty element is not valid FHIR).</summary>
    private static CodeableConcept? WithoutText(CodeableConcept? concept)
    {
        if (concept is null || concept.Coding.Count == 0)
        {
            return null;
        }

        concept.Text = null;
        return concept;
    }

    /// <summary>Answers in words (valueString) go; coded and numeric answers (the outcome scores) stay.</summary>
    private static void RemoveFreeText(List<QuestionnaireResponse.ItemComponent> items)
    {
        foreach (var item in items)
        {
            item.Answer.RemoveAll(a => a.Value is FhirString);
            foreach (var answer in item.Answer)
            {
                RemoveFreeText(answer.Item);
            }

            RemoveFreeText(item.Item);
        }
    }
}
