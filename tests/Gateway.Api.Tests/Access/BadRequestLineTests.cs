using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Testing;

namespace Gateway.Api.Tests.Access;

/// <summary>
/// Issue 17 item 8: a request Kestrel refuses before the application sees it (a NUL in the path)
/// still gets an OperationOutcome, never an empty 400.
/// </summary>
public sealed class BadRequestLineTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    [Theory]
    [InlineData("fhir/Patient/abc%00def")]
    [InlineData("fhir/Patient%00")]
    [InlineData("records/abc%00def")]
    public async Task A_nul_in_the_path_is_a_400_operation_outcome(string path)
    {
        using var client = await gateway.CreateClientAsync(TestPartners.Housing);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.Root, path));
        request.Headers.Authorization = client.DefaultRequestHeaders.Authorization;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        var outcome = await response.ReadOutcomeAsync();
        Assert.False(string.IsNullOrWhiteSpace(outcome.Issue[0].Diagnostics));
        Assert.NotNull(await gateway.Client.SearchAsync("Patient?_count=1"));
    }

    [Fact]
    public async Task A_nul_path_later_on_a_kept_alive_connection_arriving_byte_by_byte_is_an_operation_outcome_too()
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(gateway.Root.Host, gateway.Root.Port);
        var stream = tcp.GetStream();
        var requests = "GET /fhir/metadata HTTP/1.1\r\nHost: gateway\r\n\r\n"
            + "GET /fhir/Patient/a%00b?family=x%00 HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n";

        foreach (var b in Encoding.ASCII.GetBytes(requests))
        {
            await stream.WriteAsync(new[] { b });
            await stream.FlushAsync();
        }

        var answers = await new StreamReader(stream, Encoding.UTF8).ReadToEndAsync();
        Assert.StartsWith("HTTP/1.1 200", answers, StringComparison.Ordinal);
        var second = answers[answers.IndexOf("HTTP/1.1 400", StringComparison.Ordinal)..];
        Assert.Contains("Content-Type: application/fhir+json", second, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"resourceType\":\"OperationOutcome\"", second, StringComparison.Ordinal);
    }
}
