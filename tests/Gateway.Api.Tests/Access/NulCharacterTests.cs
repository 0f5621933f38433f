using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Api.Tests.Records;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Access;

/// <summary>
/// Issue 17 item 7: PostgreSQL refuses a NUL character in text (22021), so the gateway refuses it
/// first, with a 4xx OperationOutcome naming where it was, stores nothing, and the next search
/// on the pool still works.
/// </summary>
public sealed class NulCharacterTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    [Fact]
    public async Task A_nul_escape_in_a_fhir_json_string_is_400_naming_the_element()
    {
        var body = """{"resourceType":"Patient","name":[{"family":"Ok\u0000afor"}]}""";

        using var response = await gateway.Client.SendAsync(HttpMethod.Post, "Patient", FhirHttp.Content(body, FhirHttp.Json));

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "Patient.name[0].family");
    }

    [Theory]
    [InlineData("Patient?family=Ok%00afor", "family")]
    [InlineData("Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|999%00", "identifier")]
    [InlineData("Patient?_id=abc%00", "_id")]
    [InlineData("ServiceRequest?patient.identifier=999%00", "patient.identifier")]
    [InlineData("Patient?family%00=x", "family%00")]
    public async Task A_nul_in_a_search_is_400_naming_the_parameter(string query, string parameter)
    {
        using var response = await gateway.Client.GetAsync(query);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, parameter);
    }

    [Fact]
    public async Task A_nul_in_if_none_exist_is_400_naming_the_header()
    {
        using var response = await gateway.Client.PostAsync("Patient", Resources.Patient(), ("If-None-Exist", "identifier=https://fhir.nhs.uk/Id/nhs-number|999%00"));

        var outcome = await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "identifier");
        Assert.Contains("If-None-Exist", outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_nul_in_a_records_message_id_is_refused_naming_the_field_and_not_kept()
    {
        using var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var record = """{"format":"housing-case/v1","messageId":"m\u0000-1","provider":"test-housing"}""";

        using var response = await housing.PostRecordAsync(record);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var outcome = await response.ReadOutcomeAsync();
        Assert.Equal("$.messageId", Assert.Single(outcome.Issue).Location.Single());
        await AssertNoRecordsAsync();
    }

    [Fact]
    public async Task A_raw_nul_byte_in_a_record_is_refused_and_not_kept()
    {
        using var housing = await gateway.CreateClientAsync(TestPartners.Housing);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"format\":\"housing-case/v1\",\"messageId\":\"m\0-2\"}"));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await housing.PostAsync("../records", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("NUL", (await response.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
        await AssertNoRecordsAsync();
    }

    [Fact]
    public async Task After_many_refused_nul_searches_every_pooled_connection_still_answers()
    {
        for (var i = 0; i < 30; i++)
        {
            using var refused = await gateway.Client.GetAsync($"Patient?family=a%00{i}&_sort=family");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.NotNull(await gateway.Client.SearchAsync($"Patient?family=a{i}&_sort=family"));
        }
    }

    [Fact]
    public async Task A_nul_that_reaches_the_database_fails_only_its_own_statement_and_the_pool_still_answers()
    {
        // Past the edges (the store called directly): PostgreSQL refuses the text, and the connection goes back to the pool usable.
        for (var i = 0; i < 30; i++)
        {
            var failed = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => gateway.SeedAsync(Resources.Patient(family: "Ok\0afor")));
            Assert.Contains(failed.SqlState, new[] { Npgsql.PostgresErrorCodes.CharacterNotInRepertoire, Npgsql.PostgresErrorCodes.UntranslatableCharacter });
            Assert.NotNull(await gateway.Client.SearchAsync($"Patient?family=Okafor&_sort=family&_count={i + 1}"));
        }
    }

    private async Task<OperationOutcome> AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string expression)
    {
        Assert.Equal(status, response.StatusCode);
        var outcome = await response.ReadOutcomeAsync();
        var issue = Assert.Single(outcome.Issue);
        Assert.Equal(expression, Assert.Single(issue.Expression));
        Assert.Contains("NUL", issue.Diagnostics, StringComparison.Ordinal);
        Assert.NotNull(await gateway.Client.SearchAsync("Patient?family=Okafor"));
        return outcome;
    }

    private async Task AssertNoRecordsAsync()
    {
        await using var count = gateway.Database.CreateCommand("select count(*) from partner_record");
        Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
    }
}
