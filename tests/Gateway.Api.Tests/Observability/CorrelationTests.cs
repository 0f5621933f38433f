using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Gateway.Api.Observability;
using Gateway.Api.Tests.PartnerSync;
using Gateway.Jobs;
using Gateway.Jobs.Sla;
using Gateway.Testing;

namespace Gateway.Api.Tests.Observability;

/// <summary>One correlation id per request and per job: on the response, in every log line, on the trace.</summary>
public sealed class CorrelationTests(ObservedGatewayApp gateway) : IClassFixture<ObservedGatewayApp>
{
    [Fact]
    public async Task A_request_id_the_caller_sends_is_echoed_and_is_in_the_scope_of_what_the_request_logs()
    {
        var id = "abc-" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, "metadata");
        request.Headers.Add(RequestCorrelation.Header, id);

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id, Assert.Single(response.Headers.GetValues(RequestCorrelation.Header)));
        var logged = gateway.Logs.Entries.Where(e => Equals(e.Scopes.GetValueOrDefault(RequestCorrelation.ScopeKey), id)).ToList();
        Assert.Contains(logged, e => e.Message.Contains("Executing endpoint", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_request_id_the_trace_id_of_the_traceparent_is_used()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "metadata");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(traceId, Assert.Single(response.Headers.GetValues(RequestCorrelation.Header)));
    }

    [Fact]
    public async Task Without_either_the_gateway_makes_one_and_an_unusable_one_is_replaced()
    {
        using var plain = await gateway.Client.GetAsync("metadata");
        using var request = new HttpRequestMessage(HttpMethod.Get, "metadata");
        request.Headers.TryAddWithoutValidation(RequestCorrelation.Header, "two words");
        using var spoiled = await gateway.Client.SendAsync(request);

        var made = Assert.Single(plain.Headers.GetValues(RequestCorrelation.Header));
        Assert.Matches("^[0-9a-f]{32}$", made);
        Assert.NotEqual("two words", Assert.Single(spoiled.Headers.GetValues(RequestCorrelation.Header)));
    }

    [Fact]
    public async Task A_failed_request_still_carries_its_id()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "Patient/does-not-exist");
        request.Headers.Add(RequestCorrelation.Header, "missing-" + Guid.NewGuid().ToString("N"));

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(request.Headers.GetValues(RequestCorrelation.Header).Single(), Assert.Single(response.Headers.GetValues(RequestCorrelation.Header)));
    }

    [Fact]
    public async Task A_request_makes_a_server_span_carrying_its_id()
    {
        var id = "span-" + Guid.NewGuid().ToString("N");
        var stopped = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);
        using var request = new HttpRequestMessage(HttpMethod.Get, "metadata");
        request.Headers.Add(RequestCorrelation.Header, id);

        using var response = await gateway.Client.SendAsync(request);
        await WaitUntilAsync(() => stopped.Any(a => Equals(a.GetTagItem("gateway.request_id"), id)));

        var span = stopped.Single(a => Equals(a.GetTagItem("gateway.request_id"), id));
        Assert.Equal(ActivityKind.Server, span.Kind);
        Assert.Equal("Microsoft.AspNetCore.Hosting.HttpRequestIn", span.OperationName);
        Assert.Equal(response.Headers.GetValues(RequestCorrelation.Header).Single(), id);
    }

    [Fact]
    public async Task A_job_logs_inside_a_scope_with_its_job_id_and_recurring_id()
    {
        var jobId = HangfireJobs.Trigger(gateway, SlaCheckJob.Id);
        await HangfireJobs.WaitForStateAsync(gateway, jobId, "Succeeded", "Failed");

        var run = Assert.Single(gateway.Logs.Entries, e => Equals(e.Scopes.GetValueOrDefault(JobCorrelationFilter.JobIdKey), jobId) && e.Message.StartsWith("SLA checks at", StringComparison.Ordinal));
        Assert.Equal(SlaCheckJob.Id, run.Scopes[JobCorrelationFilter.RecurringJobIdKey]);
    }

    // The server stops the span just after the response is sent; wait for that, not for a time.
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "The condition did not come true.");
            await Task.Delay(20);
        }
    }
}
