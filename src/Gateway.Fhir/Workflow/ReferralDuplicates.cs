using Gateway.Fhir.Errors;
using Gateway.Fhir.Search;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Workflow;

/// <summary>
/// At most one active social prescription per patient, service and requester (SPEC §5): a second
/// one is refused with 409 naming the referral that exists. A lock on the triple makes two racing
/// referrals queue, so both cannot pass the check.
/// </summary>
public static class ReferralDuplicates
{
    public static async Task CheckAsync(ResourceWriter writer, ServiceRequest request, CancellationToken ct)
    {
        if (!SocialPrescription.IsOne(request))
        {
            return;
        }

        // A patient this transaction created under a new id has no referral but the ones this
        // transaction wrote: with none of them, there is nothing to find (and no other transaction
        // can refer it before this one commits), so the lookup and its planning are spared. Any
        // form of reference to it (absolute, versioned) counts as one of them.
        var subject = request.Subject!.Reference;
        if (subject is not null && writer.CreatedUnderNewIdHere(subject)
            && !writer.Changes.Any(c => c.Current is ServiceRequest other && c.Id != request.Id
                && other.Subject?.Reference?.Contains(subject, StringComparison.Ordinal) == true))
        {
            return;
        }

        var service = SocialPrescription.Service(request);
        var gateway = writer.AsGateway();
        var query = $"subject={request.Subject!.Reference}&requester={request.Requester!.Reference}&status=active"
            + (service is null ? "" : "&code=" + Uri.EscapeDataString(service).Replace("%7C", "|", StringComparison.Ordinal));
        var lockKey = $"social-prescription|{request.Subject.Reference}|{request.Requester.Reference}|{service}";
        var existing = (await gateway.LockAndFindIdsAsync(lockKey, SearchQuery.Parse("ServiceRequest", query), 2, ct)).FirstOrDefault(id => id != request.Id);
        if (existing is not null)
        {
            throw new FhirException(409, OperationOutcome.IssueType.Duplicate,
                $"{request.Requester.Reference} already has an active social prescription for {request.Subject.Reference} ({service ?? "no service coded"}): ServiceRequest/{existing}. Update or revoke that referral instead of sending a second one.",
                "ServiceRequest");
        }
    }
}
