using System.Text;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Audit;

/// <summary>
/// An <see cref="AuditRecord"/> as a FHIR R4 AuditEvent (the IHE BALP "RESTful operation" shape:
/// type rest, subtype the interaction, outcome 0/4/8), with no clinical content: references and
/// the query only.
/// </summary>
public static class AuditEventBuilder
{
    public static AuditEvent Build(AuditRecord record) => new()
    {
        Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"),
        Subtype = [new Coding("http://hl7.org/fhir/restful-interaction", record.Interaction)],
        Action = record.Method switch
        {
            "POST" when record.Interaction == "create" => AuditEvent.AuditEventAction.C,
            "PUT" or "PATCH" => AuditEvent.AuditEventAction.U,
            "DELETE" => AuditEvent.AuditEventAction.D,
            "GET" => AuditEvent.AuditEventAction.R,
            _ => AuditEvent.AuditEventAction.E,
        },
        Recorded = record.When,
        // FHIR R4 valueset-audit-event-outcome: 0 success, 4 minor failure (the client's), 8 serious failure (ours).
        Outcome = record.Status switch
        {
            < 400 => AuditEvent.AuditEventOutcome.N0,
            < 500 => AuditEvent.AuditEventOutcome.N4,
            _ => AuditEvent.AuditEventOutcome.N8,
        },
        OutcomeDesc = $"HTTP {record.Status}",
        Agent =
        [
            new AuditEvent.AgentComponent
            {
                Who = record.PartnerId is null ? null : new ResourceReference($"Organization/{record.PartnerId}"),
                AltId = record.ClientId,
                Name = record.ClientId ?? "unauthenticated",
                Requestor = true,
                Network = record.SourceAddress is null ? null : new AuditEvent.NetworkComponent
                {
                    Address = record.SourceAddress,
                    Type = AuditEvent.AuditEventAgentNetworkType.N2,
                },
            },
        ],
        Source = new AuditEvent.SourceComponent { Observer = new ResourceReference { Display = "Interop Gateway" } },
        Entity = Entities(record).ToList(),
    };

    private static IEnumerable<AuditEvent.EntityComponent> Entities(AuditRecord record)
    {
        if (record.ResourceType is not null && record.ResourceId is not null)
        {
            yield return new AuditEvent.EntityComponent { What = new ResourceReference($"{record.ResourceType}/{record.ResourceId}") };
        }

        if (!string.IsNullOrEmpty(record.Query))
        {
            yield return new AuditEvent.EntityComponent
            {
                Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"),
                Description = record.ResourceType,
                Query = Encoding.UTF8.GetBytes(record.Query),
            };
        }
    }
}
