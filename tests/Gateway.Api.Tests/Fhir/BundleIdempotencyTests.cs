using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;
using static Gateway.Api.Tests.Fhir.TransactionTests;

namespace Gateway.Api.Tests.Fhir;

/// <summary>
/// SPEC §3, issue 17 item 2: a transaction or batch Bundle with an identifier is answered once per
/// client; a resend gets the first answer and writes nothing, a changed resend is 409.
/// </summary>
public sealed class BundleIdempotencyTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private readonly HttpClient _client = gateway.Client;

    [Fact]
    public async Task A_resent_GP_referral_gets_the_first_answer_and_no_second_consent()
    {
        var referral = await GpReferral.PrepareAsync(_client);
        using var first = await _client.PostBundleAsync(referral.Json);
        var created = await first.ReadResourceAsync<Bundle>();
        var before = await gateway.CountResourcesAsync();

        using var second = await _client.PostBundleAsync(referral.Json);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var resent = await second.ReadResourceAsync<Bundle>();
        Assert.Equal(created.Entry.Select(e => (e.Response.Status, e.Response.Location, e.Response.Etag)),
            resent.Entry.Select(e => (e.Response.Status, e.Response.Location, e.Response.Etag)));
        Assert.Equal(created.Entry.Select(e => e.Resource?.Id), resent.Entry.Select(e => e.Resource?.Id));
        Assert.Equal(before, await gateway.CountResourcesAsync());
    }

    [Fact]
    public async Task The_first_answer_is_the_kept_answer_byte_for_byte()
    {
        // The first answer goes out as the JSON kept for resends (BundleAnswer); the referral's
        // follow-ups (routed Task, Provenance) run after it was serialized and change none of it.
        var referral = await GpReferral.PrepareAsync(_client);
        using var first = await _client.PostBundleAsync(referral.Json);
        var firstBytes = await first.Content.ReadAsByteArrayAsync();

        using var second = await _client.PostBundleAsync(referral.Json);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(firstBytes, await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(first.Content.Headers.ContentType, second.Content.Headers.ContentType);
    }

    [Fact]
    public async Task The_same_identifier_with_other_content_is_409_and_writes_nothing()
    {
        var referral = await GpReferral.PrepareAsync(_client);
        using (await _client.PostBundleAsync(referral.Json))
        {
        }

        var before = await gateway.CountResourcesAsync();

        using var changed = await _client.PostBundleAsync(referral.Json.Replace("Lonely", "Isolated", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Conflict, changed.StatusCode);
        var issue = Assert.Single((await changed.ReadOutcomeAsync()).Issue);
        Assert.Equal("Bundle.identifier", issue.Expression.Single());
        Assert.Equal(before, await gateway.CountResourcesAsync());
    }

    [Fact]
    public async Task Concurrent_copies_apply_once_and_all_get_the_same_answer()
    {
        var referral = await GpReferral.PrepareAsync(_client);
        var before = await gateway.CountResourcesAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _client.PostBundleAsync(referral.Json)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var answers = await Task.WhenAll(responses.Select(r => r.ReadResourceAsync<Bundle>()));
        Assert.Single(answers.Select(a => string.Join(",", a.Entry.Select(e => e.Response.Location))).Distinct());
        Assert.Equal(before.With("Patient", 1).With("ServiceRequest", 1).With("Consent", 1).With("Task", 1).With("Provenance", 1), await gateway.CountResourcesAsync());
    }

    [Fact]
    public async Task A_resent_batch_gets_the_first_answer_and_writes_nothing()
    {
        var bundle = Batch(
            Entry(Bundle.HTTPVerb.POST, "Patient", Resources.Patient(family: "Once")),
            Entry(Bundle.HTTPVerb.GET, "Patient/never-stored"));
        bundle.Identifier = new Identifier("https://idempotency.test/bundles", Guid.NewGuid().ToString());
        using var first = await _client.PostBundleAsync(bundle);
        var answer = await first.ReadResourceAsync<Bundle>();
        var before = await gateway.CountResourcesAsync();

        using var again = await _client.PostBundleAsync(bundle);

        var resent = await again.ReadResourceAsync<Bundle>();
        Assert.Equal(["201 Created", "404 Not Found"], resent.Entry.Select(e => e.Response.Status));
        Assert.Equal(answer.Entry[0].Response.Location, resent.Entry[0].Response.Location);
        Assert.Equal(before, await gateway.CountResourcesAsync());
    }

    private static Bundle Batch(params Bundle.EntryComponent[] entries) => new() { Type = Bundle.BundleType.Batch, Entry = [.. entries] };
}
