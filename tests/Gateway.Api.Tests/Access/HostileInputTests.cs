using System.Net;
using System.Text;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Access;

/// <summary>A gateway with a small rate limit, so the test reaches it with few requests.</summary>
public sealed class RateLimitedGateway : GatewayApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [new("Gateway:RateLimit:PermitsPerWindow", "20"), new("Gateway:RateLimit:WindowSeconds", "60")];
}

/// <summary>
/// Hostile input gets a 4xx OperationOutcome, changes nothing, and the gateway answers afterwards
/// (SPEC §8). Body size, bundle size, JSON depth and XML entities have their own tests next to
/// the interactions they guard (RequestLimitTests, BundleLimitTests, ValidationTests).
/// </summary>
public sealed class HostileInputTests(RateLimitedGateway gateway) : IClassFixture<RateLimitedGateway>
{
    [Fact]
    public async Task Hostile_requests_get_4xx_outcomes_and_the_gateway_still_answers()
    {
        using var client = await gateway.CreateClientAsync(TestPartners.OtherGp);
        var tooMany = string.Join("&", Enumerable.Range(0, 60).Select(i => $"family=x{i}"));
        var cases = new (string Name, Func<Task<HttpResponseMessage>> Send, HttpStatusCode Expected)[]
        {
            ("too many search parameters", () => client.GetAsync($"Patient?{tooMany}"), HttpStatusCode.BadRequest),
            ("a very long search value", () => client.GetAsync($"Patient?family={new string('a', 3000)}"), HttpStatusCode.BadRequest),
            ("sql in a search value", () => client.GetAsync("Patient?family=%27%3Bdrop%20table%20resource%3B--"), HttpStatusCode.OK),
            ("deeply nested json", () => client.SendAsync(HttpMethod.Post, "Patient", FhirHttp.Content(Nested(500), FhirHttp.Json)), HttpStatusCode.BadRequest),
            ("xml with an entity", () => client.SendAsync(HttpMethod.Post, "Patient", FhirHttp.Content(
                """<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><Patient xmlns="http://hl7.org/fhir"><id value="&b;"/></Patient>""", FhirHttp.Xml)), HttpStatusCode.BadRequest),
            ("binary garbage", () => client.SendAsync(HttpMethod.Post, "Patient", new ByteArrayContent([0xff, 0xfe, 0x00, 0x01]) { Headers = { { "Content-Type", FhirHttp.Json } } }), HttpStatusCode.BadRequest),
        };

        foreach (var (name, send, expected) in cases)
        {
            using var response = await send();
            Assert.True(response.StatusCode == expected, $"{name}: {(int)response.StatusCode}");
            if (expected != HttpStatusCode.OK)
            {
                var outcome = await response.ReadOutcomeAsync();
                Assert.False(string.IsNullOrWhiteSpace(outcome.Issue[0].Diagnostics), name);
                Assert.DoesNotContain("   at ", outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
            }

            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("metadata")).StatusCode);
        }

        await using var count = gateway.Database.CreateCommand("select count(*) from resource where created_by = $1");
        count.Parameters.Add(new() { Value = TestPartners.OtherGp });
        Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_client_over_its_rate_is_429_with_retry_after_and_other_clients_are_unaffected()
    {
        using var noisy = await gateway.CreateClientAsync(TestPartners.Housing);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 30 && refused is null; i++)
        {
            var response = await noisy.GetAsync("Task?_count=1");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
        }

        Assert.NotNull(refused);
        Assert.True(refused.Headers.RetryAfter is not null);
        Assert.Equal(OperationOutcome.IssueType.Throttled, (await refused.ReadOutcomeAsync()).Issue[0].Code);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("Patient?_count=1")).StatusCode);
    }

    private static string Nested(int depth)
    {
        var body = new StringBuilder("""{"resourceType":"Patient","extension":[""");
        for (var i = 0; i < depth; i++)
        {
            body.Append("""{"url":"http://x","extension":[""");
        }

        for (var i = 0; i < depth; i++)
        {
            body.Append("]}");
        }

        return body.Append("]}").ToString();
    }
}
