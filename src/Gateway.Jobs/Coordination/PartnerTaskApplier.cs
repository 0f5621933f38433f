using Gateway.Fhir.Audit;
using Gateway.Fhir.Partners;
using Gateway.Fhir.Records;
using Gateway.Fhir.Search;
using Gateway.Fhir.Storage;
using Gateway.Fhir.Validation.Profiles;
using Gateway.Fhir.Workflow;
using Gateway.Jobs.PartnerSync;
using Gateway.Mapping;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Jobs.Coordination;

/// <summary>
/// Applies what a partner's Task at its own server says to the gateway's Task, as the partner, in
/// one transaction: its outcome measures stored as QuestionnaireResponses based on the GP's
/// ServiceRequest (once each: they carry the partner's id as identifier), then the Task walked
/// along the owner's path with <see cref="ReferralUpdateApplier"/>, the same rules as a partner
/// record or the API. A move the rules refuse throws their <see cref="Fhir.Errors.FhirException"/>
/// and nothing is written.
/// </summary>
public sealed class PartnerTaskApplier(ResourceStore store, ProfileValidator validator, TimeProvider clock)
{
    public const string ClientId = "gateway-coordination";

    /// <param name="responses">The QuestionnaireResponses the Task's outputs reference at the partner's server, by that reference.</param>
    /// <returns>What was written (version references); empty when the partner's Task asks for nothing new.</returns>
    public Task<IReadOnlyList<string>> ApplyAsync(Partner partner, string gatewayTaskId, FhirTask theirs, IReadOnlyDictionary<string, QuestionnaireResponse> responses, CancellationToken ct) =>
        store.WriteAsync<IReadOnlyList<string>>(async writer =>
        {
            var gateway = writer.AsGateway();
            var task = await ReadAsync<FhirTask>(gateway, $"Task/{gatewayTaskId}", ct);
            var request = await ReadAsync<ServiceRequest>(gateway, task.Focus?.Reference, ct);
            var patient = await ReadAsync<Patient>(gateway, task.For?.Reference, ct);

            var measures = new List<MeasureResponse>();
            var outputs = new List<FhirTask.OutputComponent>();
            foreach (var output in theirs.Output)
            {
                var copy = (FhirTask.OutputComponent)output.DeepCopy();
                if (copy.Value is ResourceReference { Reference: { } reference } pointer)
                {
                    if (responses.TryGetValue(reference, out var response))
                    {
                        pointer.Reference = await ImportedAsync(gateway, partner, response, ct)
                            ?? Measure(measures, partner, gatewayTaskId, response);
                    }
                    else if (!Uri.IsWellFormedUriString(reference, UriKind.Absolute))
                    {
                        // Anything else stays where it is, at the partner's server.
                        pointer.Reference = PartnerFhirClient.Url(partner, reference);
                    }
                }

                outputs.Add(copy);
            }

            var change = Change(theirs, outputs, clock.GetUtcNow());
            if (!Changes(task, change) && measures.Count == 0)
            {
                return [];
            }

            var update = new ReferralUpdate($"{partner.Id}:{theirs.Id}", new ReferralLink(gatewayTaskId, null, null, null, new PatientConfirmation(null, null, default, null)), change, measures);
            var applied = await ReferralUpdateApplier.ApplyAsync(writer, update, new LinkedReferral(task, request.Id!, patient.Id!), validator, ct);
            var provenance = ProvenanceBuilder.Build(applied.Produced, created: false,
                $"Applied Task/{theirs.Id} of the FHIR server of {partner.Id} ({theirs.Status}) to Task/{gatewayTaskId}.", writer.OnBehalfOf, [], writer.Now, component: "coordination");
            provenance.Entity.Add(new Provenance.EntityComponent
            {
                Role = Provenance.ProvenanceEntityRole.Source,
                What = new ResourceReference(PartnerFhirClient.Url(partner, theirs.Meta?.VersionId is { } version ? $"Task/{theirs.Id}/_history/{version}" : $"Task/{theirs.Id}")),
            });
            await gateway.CreateAsync(provenance, ct);
            return applied.Produced;
        }, ct, PartnerCaller.For(partner, ClientId));

    /// <summary>The identifier a QuestionnaireResponse copied from the partner's server carries: where it came from.</summary>
    public static Identifier SourceIdentifier(Partner partner, string partnerResponseId) =>
        new(PartnerFhirClient.Url(partner, "QuestionnaireResponse"), partnerResponseId);

    // Statuses outside the referral state machine (draft, ready) say nothing the gateway's Task can take.
    private static TaskChange Change(FhirTask theirs, IReadOnlyList<FhirTask.OutputComponent> outputs, DateTimeOffset now) => new(
        theirs.Status is FhirTask.TaskStatus.Draft or FhirTask.TaskStatus.Ready ? null : theirs.Status,
        theirs.BusinessStatus?.Coding.FirstOrDefault(c => c.System == ReferralTask.BusinessStatusSystem),
        theirs.StatusReason?.Text ?? theirs.StatusReason?.Coding.FirstOrDefault()?.Display,
        theirs.LastModifiedElement?.ToDateTimeOffset(TimeSpan.Zero) ?? theirs.Meta?.LastUpdated ?? now,
        outputs,
        // Free text reaches the GP only where the patient agreed (SPEC §5); a Task cannot say so.
        []);

    private static bool Changes(FhirTask task, TaskChange change) =>
        (change.Status is { } status && status != task.Status)
        || (change.BusinessStatus is { } business && task.BusinessStatus?.Coding.Any(c => c.System == business.System && c.Code == business.Code) != true)
        || change.Outputs.Any(o => !task.Output.Any(existing => existing.IsExactly(o)));

    private static async Task<string?> ImportedAsync(ResourceWriter gateway, Partner partner, QuestionnaireResponse response, CancellationToken ct)
    {
        var source = SourceIdentifier(partner, response.Id!);
        var found = await gateway.FindIdsAsync(SearchQuery.Parse("QuestionnaireResponse", "identifier=" + Uri.EscapeDataString(source.System + "|" + source.Value)), 1, ct);
        return found.Count == 0 ? null : $"QuestionnaireResponse/{found[0]}";
    }

    // The measure as the gateway keeps it: the answers, by the partner; basedOn and subject are the applier's to set.
    private static string Measure(List<MeasureResponse> measures, Partner partner, string gatewayTaskId, QuestionnaireResponse theirs)
    {
        var response = new QuestionnaireResponse
        {
            Meta = theirs.Meta?.Profile.Any() == true ? new Meta { Profile = theirs.Meta.Profile } : null,
            Identifier = SourceIdentifier(partner, theirs.Id!),
            Questionnaire = theirs.Questionnaire,
            Status = theirs.Status,
            Authored = theirs.Authored,
            Author = new ResourceReference($"Organization/{partner.Id}"),
            Item = [.. theirs.Item.Select(i => (QuestionnaireResponse.ItemComponent)i.DeepCopy())],
        };
        var fullUrl = Placeholders.NewResource($"{partner.Id}:{gatewayTaskId}", "QuestionnaireResponse/" + theirs.Id);
        measures.Add(new MeasureResponse(fullUrl, response));
        return fullUrl;
    }

    private static async Task<T> ReadAsync<T>(ResourceWriter gateway, string? reference, CancellationToken ct) where T : Resource =>
        reference?.Split('/') is [var type, var id] && (await gateway.ReadCurrentAsync(type, id, ct))?.Resource is T resource
            ? resource
            : throw new InvalidOperationException($"The coordinated referral's {typeof(T).Name} ({reference}) is not in the store.");
}
