using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Access;

/// <summary>Every read, search, write and token request leaves an AuditEvent; operators read them across partners, nothing clinical in them.</summary>
public sealed class AuditTrailTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    [Fact]
    public async Task Reads_searches_writes_failures_and_token_requests_are_audited_for_the_operator()
    {
        using var gp = await gateway.CreateClientAsync(TestPartners.OtherGp);
        var patient = await gp.CreateAsync(Resources.Patient());
        using (await gp.GetAsync($"Patient/{patient.Id}"))
        using (await gp.GetAsync("Patient?family=Okafor"))
        using (await gp.GetAsync("Patient/not-there"))
        {
        }

        using var ops = await gateway.CreateClientAsync(TestPartners.Operator, "system/AuditEvent.rs");
        var events = await Eventually(async () =>
        {
            var bundle = await ops.SearchAsync($"AuditEvent?agent=Organization/{TestPartners.OtherGp}&_count=100");
            return bundle.Entry.Select(e => (AuditEvent)e.Resource).ToList();
        }, found => found.Count >= 4);

        var interactions = events.Select(e => (e.Subtype[0].Code, e.Entity.FirstOrDefault()?.What?.Reference, e.Outcome)).ToList();
        Assert.Contains(("create", (string?)null, AuditEvent.AuditEventOutcome.N0), interactions);
        Assert.Contains(("read", $"Patient/{patient.Id}", AuditEvent.AuditEventOutcome.N0), interactions);
        Assert.Contains(("read", "Patient/not-there", AuditEvent.AuditEventOutcome.N4), interactions);
        Assert.Contains(interactions, i => i.Code == "search-type");
        Assert.All(events, e => Assert.Equal($"{TestPartners.OtherGp}-client", e.Agent[0].AltId));
        // No clinical content: the patient's name appears nowhere in the trail.
        Assert.All(events, e => Assert.DoesNotContain("Margaret", Gateway.Fhir.Serialization.FhirSerialization.ToJson(e), StringComparison.Ordinal));

        var tokens = await Eventually(async () => (await ops.SearchAsync("AuditEvent?subtype=token&_count=500")).Entry.Count, count => count > 0);
        Assert.True(tokens > 0);
    }

    [Fact]
    public async Task Record_api_calls_are_audited_too()
    {
        using var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        using (await housing.PostAsync("../records", new StringContent("{}", System.Text.Encoding.UTF8, "application/json")))
        {
        }

        using var ops = await gateway.CreateClientAsync(TestPartners.Operator, "system/AuditEvent.rs");
        var events = await Eventually(async () =>
            (await ops.SearchAsync($"AuditEvent?agent=Organization/{TestPartners.Housing}&subtype=create&_count=100")).Entry.Count, count => count > 0);
        Assert.True(events > 0);
    }

    [Fact]
    public async Task A_gp_cannot_read_the_audit_trail()
    {
        using var response = await gateway.Client.GetAsync("AuditEvent?_count=1");
        var bundle = await response.ReadResourceAsync<Bundle>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(bundle.Entry, e => e.Resource is AuditEvent);
    }

    // The trail is written off the request path, so a test waits (briefly, boundedly) for it.
    private static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var value = await read();
        for (var i = 0; i < 50 && !done(value); i++)
        {
            await System.Threading.Tasks.Task.Delay(100);
            value = await read();
        }

        return value;
    }
}
