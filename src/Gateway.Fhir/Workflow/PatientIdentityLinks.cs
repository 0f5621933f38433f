using Gateway.Fhir.Search;
using Gateway.Fhir.Storage;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Workflow;

/// <summary>
/// After a Patient is created, whichever way (POST, PUT as create, conditional create or update,
/// a transaction entry, a partner record), the other Patients with its NHS number or BSN: each
/// link goes in <c>patient_identity_link</c> and an AuditEvent for operators (SPEC §8: the link
/// is for operators; the partner's Patient carries neither link nor tag, which would reveal the other's id).
/// </summary>
internal static class PatientIdentityLinks
{
    public static async System.Threading.Tasks.Task RecordAsync(ResourceWriter gateway, Patient created, ResourceChange cause, CancellationToken ct)
    {
        if (PatientMatching.IdentifierQuery(created) is not { } query)
        {
            return;
        }

        // The matching's lock: of two racing creates the later one sees the other, so the pair is linked once.
        var others = (await gateway.LockAndFindIdsAsync(PatientMatching.LockKey(query), SearchQuery.Parse("Patient", query), 20, ct)).Where(id => id != created.Id);
        foreach (var other in others)
        {
            if ((await gateway.ReadCurrentAsync("Patient", other, ct))?.Resource is not Patient known)
            {
                continue;
            }

            var reason = PatientMatching.SameBirthDate(created, known) ? PatientMatching.SamePersonCode : PatientMatching.ConflictCode;
            if (await InsertAsync(gateway, created.Id!, other, reason, ct))
            {
                await gateway.CreateAsync(AuditEventOf(created.Id!, other, reason, cause, gateway.Now), ct);
            }
        }
    }

    private static async Task<bool> InsertAsync(ResourceWriter gateway, string patientId, string otherId, string reason, CancellationToken ct)
    {
        await using var command = gateway.Command();
        command.CommandText = """
            insert into patient_identity_link (patient_id, other_patient_id, reason, created_at)
            values ($1, $2, $3, $4) on conflict do nothing
            """;
        command.Parameters.Add(new() { Value = patientId });
        command.Parameters.Add(new() { Value = otherId });
        command.Parameters.Add(new() { Value = reason });
        command.Parameters.Add(new() { Value = gateway.Now });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    // Found by operators with AuditEvent?type=<patient-match>|identity-conflict (or |same-person), or ?entity=Patient/<id>.
    private static AuditEvent AuditEventOf(string patientId, string otherId, string reason, ResourceChange cause, DateTimeOffset now) => new()
    {
        Type = new Coding(PatientMatching.LinkReasonSystem, reason, reason == PatientMatching.ConflictCode
            ? "Same identifier as another Patient, different birth date"
            : "Same identifier and birth date as a Patient its creator may not see"),
        Action = AuditEvent.AuditEventAction.C,
        Recorded = now,
        Outcome = AuditEvent.AuditEventOutcome.N0,
        OutcomeDesc = $"Patient/{patientId} was stored apart from Patient/{otherId}; an operator decides whether they are one person.",
        Agent =
        [
            new AuditEvent.AgentComponent
            {
                Who = cause.By is { } by ? new ResourceReference(by.OrganizationReference) : null,
                AltId = cause.By?.ClientId,
                Name = cause.By?.ClientId ?? "Interop Gateway",
                Requestor = true,
            },
        ],
        Source = new AuditEvent.SourceComponent { Observer = new ResourceReference { Display = "Interop Gateway" } },
        Entity =
        [
            new AuditEvent.EntityComponent { What = new ResourceReference($"Patient/{patientId}"), Description = "created" },
            new AuditEvent.EntityComponent { What = new ResourceReference($"Patient/{otherId}"), Description = "matched" },
        ],
    };
}
