using System.Xml;
using Gateway.Fhir.Bundles;
using Gateway.Fhir.Storage;
using Hangfire;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging;

namespace Gateway.Jobs.Retention;

/// <summary>What one retention run did.</summary>
public sealed record RetentionResult(IReadOnlyList<string> AnonymisedPatients, int DeletedAuditEvents, int DeletedRejectedRecords = 0)
{
    /// <summary>Kept Bundle answers (SPEC §3) past <c>Gateway:Jobs:RetainBundleResponses</c>, deleted; no personal data, so no AuditEvent of their own.</summary>
    public int DeletedBundleResponses { get; init; }

    public bool ChangedAnything => AnonymisedPatients.Count > 0 || DeletedAuditEvents > 0 || DeletedRejectedRecords > 0;
}

/// <summary>
/// Retention (SPEC §5, recurring daily): closed referrals lose their personal data after
/// <c>Gateway:Jobs:RetainClosedReferrals</c> (default P730D); AuditEvents are deleted after
/// <c>Gateway:Jobs:RetainAudit</c> (default P1825D); partner records left rejected are deleted after
/// <c>Gateway:Jobs:RetainRejectedRecords</c> (default P90D). A run that did anything leaves an
/// AuditEvent and a log line saying what; a run with nothing to do changes nothing. The kept
/// answers to Bundles with an identifier go after <c>Gateway:Jobs:RetainBundleResponses</c> (default P30D).
/// </summary>
public sealed partial class RetentionJob(ResourceStore store, BundleResponses bundles, JobsOptions options, TimeProvider clock, ILogger<RetentionJob> logger)
{
    public const string Id = "retention";

    [DisableConcurrentExecution(timeoutInSeconds: 3600)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<RetentionResult> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var auditBefore = now - XmlConvert.ToTimeSpan(options.RetainAudit);
        var referralsBefore = now - XmlConvert.ToTimeSpan(options.RetainClosedReferrals);
        var deleted = await AuditPurge.RunAsync(store, auditBefore, ct);
        var patients = await ClosedReferrals.RunAsync(store, referralsBefore, options.RetainClosedReferrals, ct);
        var bundleResponses = await bundles.PurgeAsync(now - XmlConvert.ToTimeSpan(options.RetainBundleResponses), ct);
        var rejected = await RejectedRecordPurge.RunAsync(store, now - XmlConvert.ToTimeSpan(options.RetainRejectedRecords), ct);
        var result = new RetentionResult(patients, deleted, rejected) { DeletedBundleResponses = bundleResponses };
        if (result.ChangedAnything)
        {
            await store.WriteAsync(gateway => gateway.CreateAsync(RetentionAudit.Build(result, options, now), ct), ct);
        }

        LogRun(logger, patients.Count, options.RetainClosedReferrals, deleted, options.RetainAudit, bundleResponses, options.RetainBundleResponses);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: anonymised the closed referrals of {Patients} patients (older than {ReferralPeriod}); deleted {AuditEvents} AuditEvents (older than {AuditPeriod}) and {BundleResponses} kept Bundle answers (older than {BundlePeriod})")]
    private static partial void LogRun(ILogger logger, int patients, string referralPeriod, int auditEvents, string auditPeriod, int bundleResponses, string bundlePeriod);
}

/// <summary>The AuditEvent of a retention run: the gateway deleted and anonymised, these Patients, under these periods. No clinical content.</summary>
internal static class RetentionAudit
{
    public static AuditEvent Build(RetentionResult result, JobsOptions options, DateTimeOffset now) => new()
    {
        Type = new Coding("http://dicom.nema.org/resources/ontology/DCM", "110100", "Application Activity"),
        Subtype = [new Coding(Fhir.Conformance.GatewayGuide.CanonicalBase + "/CodeSystem/gateway-job", RetentionJob.Id, "Retention")],
        Action = AuditEvent.AuditEventAction.D,
        Recorded = now,
        Outcome = AuditEvent.AuditEventOutcome.N0,
        OutcomeDesc = $"Anonymised the closed referrals of {result.AnonymisedPatients.Count} patients (retention {options.RetainClosedReferrals}); "
            + $"deleted {result.DeletedAuditEvents} AuditEvents (retention {options.RetainAudit}); "
            + $"deleted {result.DeletedRejectedRecords} rejected partner records (retention {options.RetainRejectedRecords}).",
        Agent =
        [
            new AuditEvent.AgentComponent
            {
                Who = new ResourceReference { Identifier = new Identifier(Fhir.Audit.ProvenanceBuilder.GatewaySystem, ClosedReferrals.Component), Display = "Interop Gateway retention" },
                Requestor = true,
            },
        ],
        Source = new AuditEvent.SourceComponent { Observer = new ResourceReference { Display = "Interop Gateway" } },
        Entity = result.AnonymisedPatients.Select(p => new AuditEvent.EntityComponent { What = new ResourceReference(p) }).ToList(),
    };
}
