using System.Net;
using Gateway.Api.Tests.Workflow;
using Gateway.Fhir.Access;
using Gateway.Testing;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Api.Tests.Access;

/// <summary>A partner kind as the isolation matrix calls it, the partner of the test gateway that plays it, and the scopes its client asks for.</summary>
public sealed record IsolationCaller(string Name, string Partner, string Scope)
{
    public const string AllScopes = "system/*.cruds gateway/records.write";

    public static readonly IReadOnlyList<IsolationCaller> All =
    [
        new("gp-practice", TestPartners.Gp, AllScopes),
        new("other-gp-practice", TestPartners.OtherGp, AllScopes),
        new("housing-provider", TestPartners.Housing, AllScopes),
        new("welfare-organisation", TestPartners.Welfare, AllScopes),
        new("operator", TestPartners.Operator, "system/AuditEvent.rs system/Provenance.rs system/Organization.rs system/Task.rus"),
        // SPEC §10: reads nothing person-level; its one way in is $export (the bulk-export row).
        new("evaluator", TestPartners.Evaluator, "system/*.rs"),
        // Its area (WS2) holds the seeded UK referrals: it may count them, and read none of them.
        new("commissioner", TestPartners.Commissioner, AllScopes),
    ];

    public bool IsOperator => Partner == TestPartners.Operator;

    /// <summary>Whether the token lets the caller read the type at all: when it does not, 403 says nothing about any one resource.</summary>
    public bool MayRead(string type) => !IsOperator || type is "AuditEvent" or "Provenance" or "Organization" or "Task";
}

/// <summary>How a caller may see a seeded resource, by SPEC §8 (not by the code under test).</summary>
public enum Sight
{
    /// <summary>It may see it: nothing to check.</summary>
    Visible,

    /// <summary>The spec leaves it open (e.g. a provider and the Provenance of the GP's ServiceRequest): nothing to check.</summary>
    Unchecked,

    /// <summary>Part of a referral the caller is in, but not for it: 404, and no personal data (its id may be referenced by what it sees).</summary>
    Withheld,

    /// <summary>Nothing to do with the caller: 404, and neither its id, business identifiers nor personal data anywhere.</summary>
    Foreign,
}

/// <summary>One seeded referral: who asked whom, with or without consent for the performer, and whether that Consent also allows research use.</summary>
public sealed record SeededReferral(string Requester, string Performer, bool WithConsent, bool ResearchUse = false);

/// <summary>A resource of the seed, with what would give it away: its id, its business identifiers, and personal data (NHS number, BSN, name).</summary>
public sealed record SeededResource(string Type, string Id, string Creator, SeededReferral? Referral, string Keeper)
{
    public string Reference => $"{Type}/{Id}";

    /// <summary>system|value of each identifier, for searches and conditional writes.</summary>
    public List<(string System, string Value)> Identifiers { get; } = [];

    /// <summary>NHS number, BSN, family name.</summary>
    public List<string> Personal { get; } = [];

    /// <summary>Referral and Task numbers, a Subscription's endpoint.</summary>
    public List<string> Business { get; } = [];

    /// <summary>For a Provenance: what it is about.</summary>
    public List<string> Targets { get; } = [];

    /// <summary>meta.versionId once seeding finished, as its keeper reads it.</summary>
    public string Version { get; set; } = "";

    public string? Bsn { get; init; }

    public override string ToString() => $"{Reference} ({Creator}{(Referral is { } r ? $", {r.Requester}->{r.Performer}{(r.WithConsent ? " with consent" : "")}" : "")})";
}

/// <summary>
/// The gateway of the isolation matrix, seeded once: for each of two GP practices, a housing provider
/// and a welfare organisation, referrals of its own (Patient with an NHS number or BSN, Consent for
/// some, ServiceRequest, the routed Task, an outcome measure, the gateway's Provenance), a Patient it
/// holds outside any referral, and a Subscription.
/// </summary>
public sealed class IsolationGateway : GatewayApp
{
    public const string BirthDate = "1951-03-08";

    private readonly Dictionary<string, HttpClient> _clients = [];
    // The directory service each provider published, which the referrals to it name as performer.
    private readonly Dictionary<string, string> _services = [];

    public List<SeededResource> Seeded { get; } = [];

    /// <summary>Identifier values and other strings each caller has itself written while probing: telling them back is no leak.</summary>
    public Dictionary<string, HashSet<string>> Told { get; } = IsolationCaller.All.ToDictionary(c => c.Name, _ => new HashSet<string>(StringComparer.Ordinal));

    /// <summary>Identifier values of resources each caller has written and not deleted again: a match on them is its own.</summary>
    public Dictionary<string, HashSet<string>> Live { get; } = IsolationCaller.All.ToDictionary(c => c.Name, _ => new HashSet<string>(StringComparer.Ordinal));

    // Thousands of probes in one class: no token may expire and no rate limit may answer 429 halfway.
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Gateway:Auth:AccessTokenLifetimeSeconds", "3600"),
        new("Gateway:RateLimit:PermitsPerWindow", "1000000"),
    ];

    public HttpClient ClientOf(string partner) => _clients[partner];

    public override async System.Threading.Tasks.Task InitializeAsync()
    {
        await base.InitializeAsync();
        foreach (var caller in IsolationCaller.All)
        {
            _clients[caller.Partner] = await CreateClientAsync(caller.Partner, caller.Scope);
        }

        // SPEC §11: each provider publishes a directory service, and the referrals to it name the service (routing gives them to the provider).
        foreach (var provider in new[] { TestPartners.Housing, TestPartners.Welfare })
        {
            _services[provider] = (await ServiceDirectory.DirectoryEntries.PublishAsync(ClientOf(provider), provider, "Seeded service of " + provider, "befriending", "WS1 1AA")).Id!;
        }

        await ReferralAsync(new(TestPartners.Gp, TestPartners.Housing, true, ResearchUse: true), bsn: false, accept: true);
        await ReferralAsync(new(TestPartners.Gp, TestPartners.Welfare, false), bsn: false, accept: false);
        await ReferralAsync(new(TestPartners.OtherGp, TestPartners.Welfare, true), bsn: true, accept: true);
        await ReferralAsync(new(TestPartners.OtherGp, TestPartners.Housing, false), bsn: true, accept: false);
        // Referrals towards health (SPEC §1): the provider requests, a practice performs.
        await ReferralAsync(new(TestPartners.Housing, TestPartners.Gp, true), bsn: false, accept: true);
        await ReferralAsync(new(TestPartners.Welfare, TestPartners.OtherGp, false), bsn: false, accept: false);
        foreach (var partner in new[] { TestPartners.Gp, TestPartners.OtherGp, TestPartners.Housing, TestPartners.Welfare })
        {
            await PatientAsync(partner, null, bsn: partner == TestPartners.OtherGp);
            await SubscriptionAsync(partner);
        }

        foreach (var resource in Seeded)
        {
            using var response = await ClientOf(resource.Keeper).GetAsync(resource.Reference);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"The seed's {resource} is not readable by {resource.Keeper}: {(int)response.StatusCode} {body}");
            }

            resource.Version = FhirHttp.Parse<Resource>(body).Meta.VersionId ?? "";
        }
    }

    public override async System.Threading.Tasks.Task DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        await base.DisposeAsync();
    }

    /// <summary>How <paramref name="caller"/> may see <paramref name="resource"/> (SPEC §8).</summary>
    public static Sight SightOf(IsolationCaller caller, SeededResource resource)
    {
        if (resource.Creator == caller.Partner)
        {
            return Sight.Visible;
        }

        if (caller.IsOperator)
        {
            // The audit trail, Subscriptions and Tasks across partners; nothing clinical.
            return resource.Type is "Task" or "Provenance" or "Subscription" ? Sight.Visible : Sight.Withheld;
        }

        if (resource.Referral is not { } referral)
        {
            return Sight.Foreign;
        }

        if (referral.Requester == caller.Partner)
        {
            return Sight.Visible;
        }

        if (referral.Performer != caller.Partner)
        {
            return Sight.Foreign;
        }

        return resource.Type switch
        {
            "Task" => Sight.Visible,
            "Provenance" => resource.Targets.Any(t => t.StartsWith("Task/", StringComparison.Ordinal)) ? Sight.Visible : Sight.Unchecked,
            "Consent" => Sight.Withheld,
            _ => referral.WithConsent ? Sight.Visible : Sight.Withheld,
        };
    }

    private async System.Threading.Tasks.Task ReferralAsync(SeededReferral referral, bool bsn, bool accept)
    {
        var requester = ClientOf(referral.Requester);
        var patient = await PatientAsync(referral.Requester, referral, bsn);
        if (referral.WithConsent)
        {
            var consent = await requester.CreateAsync(referral.ResearchUse ? Resources.ResearchConsent(patient.Id, referral.Performer) : Resources.Consent(patient.Id, referral.Performer));
            Add(consent, referral.Requester, referral);
        }

        var sent = Resources.ServiceRequest(patient.Id, referral.Requester, referral.Performer);
        if (_services.TryGetValue(referral.Performer, out var service))
        {
            sent.Performer = [new ResourceReference($"HealthcareService/{service}")];
        }

        var request = await requester.CreateAsync(sent);
        Add(request, referral.Requester, referral).Business.Add(request.Identifier[0].Value);
        var task = await requester.ReferralTaskAsync(request.Id);
        var seededTask = Add(task, referral.Requester, referral);
        seededTask.Business.Add(task.Identifier[0].Value);
        seededTask.Identifiers.Add((task.Identifier[0].System, task.Identifier[0].Value));
        Seeded.Single(s => s.Id == request.Id).Identifiers.Add((request.Identifier[0].System, request.Identifier[0].Value));
        if (accept)
        {
            task.Status = FhirTask.TaskStatus.Accepted;
            using var accepted = await ClientOf(referral.Performer).PutAsync($"Task/{task.Id}", task, ("If-Match", $"W/\"{task.Meta.VersionId}\""));
            if (accepted.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"{referral.Performer} accepting Task/{task.Id} answered {(int)accepted.StatusCode}: {await accepted.Content.ReadAsStringAsync()}");
            }
        }

        Add(await requester.CreateAsync(Resources.Ons4(request.Id, patient.Id)), referral.Requester, referral);
        foreach (var target in new[] { $"ServiceRequest/{request.Id}", $"Task/{task.Id}" })
        {
            foreach (var provenance in (await requester.SearchAsync($"Provenance?target={target}")).Entry.Select(e => e.Resource).OfType<Provenance>())
            {
                var seeded = Seeded.FirstOrDefault(s => s.Id == provenance.Id) ?? Add(provenance, "", referral, keeper: referral.Requester);
                seeded.Targets.AddRange(provenance.Target.Select(t => t.Reference).Except(seeded.Targets));
            }
        }
    }

    private async System.Threading.Tasks.Task<Patient> PatientAsync(string partner, SeededReferral? referral, bool bsn)
    {
        var family = "Isofam" + Guid.NewGuid().ToString("N")[..10];
        var patient = Resources.Patient(family: family);
        patient.BirthDate = BirthDate;
        if (bsn)
        {
            patient.Identifier = [new Identifier(DataMinimisation.BsnSystem, Referrals.NewBsn())];
            patient.Address = [new Address { Line = ["Oudestraat 12"], City = "Kampen", PostalCode = "8261 CJ", Country = "NL" }];
        }

        if (referral is null)
        {
            // No routing rule knows this postcode: what a probe writes for this patient stays with its writer.
            patient.Address = [new Address { Line = ["1 Lichfield Street"], City = "Wolverhampton", PostalCode = "WV1 1AA", Country = "GB" }];
        }

        var stored = await ClientOf(partner).CreateAsync(patient);
        var seeded = Add(stored, partner, referral);
        seeded.Identifiers.Add((patient.Identifier[0].System, patient.Identifier[0].Value));
        seeded.Personal.Add(patient.Identifier[0].Value);
        seeded.Personal.Add(family);
        return stored;
    }

    private async System.Threading.Tasks.Task SubscriptionAsync(string partner)
    {
        var endpoint = $"https://{partner}.example/hooks/{Guid.NewGuid():N}";
        var subscription = new Subscription
        {
            Status = Subscription.SubscriptionStatus.Requested,
            Reason = "Progress of my referrals",
            Criteria = "Task?status=accepted",
            Channel = new Subscription.ChannelComponent { Type = Subscription.SubscriptionChannelType.RestHook, Endpoint = endpoint, Payload = "application/fhir+json" },
        };
        Add(await ClientOf(partner).CreateAsync(subscription), partner, null).Business.Add(endpoint);
    }

    private SeededResource Add(Resource resource, string creator, SeededReferral? referral, string? keeper = null)
    {
        var seeded = new SeededResource(resource.TypeName, resource.Id, creator, referral, keeper ?? creator)
        {
            Bsn = resource is Patient p ? p.Identifier.FirstOrDefault(i => i.System == DataMinimisation.BsnSystem)?.Value : null,
        };
        Seeded.Add(seeded);
        return seeded;
    }
}
