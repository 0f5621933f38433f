using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Gateway.Api.Tests.Records;
using Gateway.Api.Tests.Workflow;
using Gateway.Fhir.Telemetry;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Observability;

/// <summary>The gateway's own instruments, as a metrics exporter (or any MeterListener) sees them.</summary>
public sealed class MetricsTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    [Fact]
    public async Task Each_posted_record_is_counted_by_format_and_outcome()
    {
        var seen = new ConcurrentBag<(string Format, string Outcome, long Count)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == GatewayTelemetry.Name && instrument.Name == GatewayTelemetry.Records)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, count, tags, _) =>
        {
            var values = tags.ToArray().ToDictionary(t => t.Key, t => t.Value as string);
            seen.Add((values["format"]!, values["outcome"]!, count));
        });
        listener.Start();
        var referral = await Referrals.SendUkSampleAsync(gateway.Client);
        var request = await (await gateway.Client.GetAsync($"ServiceRequest/{referral.RequestId}")).ReadResourceAsync<ServiceRequest>();
        var patient = await (await gateway.Client.GetAsync($"Patient/{referral.PatientId}")).ReadResourceAsync<Patient>();
        var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var record = RecordHttp.HousingCase("01-engaged-with-ons4.json", request.Identifier.Single().Value, patient.Identifier.Single().Value);

        using (await housing.PostRecordAsync(record))
        using (await housing.PostRecordAsync(record))
        using (await housing.PostRecordAsync(record.Replace(patient.Identifier.Single().Value, "123", StringComparison.Ordinal).Replace("\"messageId\":\"", "\"messageId\":\"x", StringComparison.Ordinal)))
        {
        }

        Assert.Contains(("housing-case/v1", "accepted", 1L), seen);
        Assert.Contains(("housing-case/v1", "unchanged", 1L), seen);
        Assert.Contains(("housing-case/v1", "rejected", 1L), seen);
    }
}
