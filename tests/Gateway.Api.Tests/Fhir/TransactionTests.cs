using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Fhir;

public sealed class TransactionTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private readonly HttpClient _client = gateway.Client;

    [Fact]
    public async Task The_GP_referral_creates_its_patient_consent_and_service_request_pointing_at_each_other()
    {
        var referral = await GpReferral.PrepareAsync(_client);

        using var response = await _client.PostBundleAsync(referral.Json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.ReadResourceAsync<Bundle>();
        Assert.Equal(Bundle.BundleType.TransactionResponse, result.Type);
        Assert.All(result.Entry, e => Assert.Equal("201 Created", e.Response.Status));
        var patient = Reference(result.Entry[0]);
        var consent = Reference(result.Entry[1]);
        Assert.StartsWith("Patient/", patient, StringComparison.Ordinal);
        Assert.StartsWith("Consent/", consent, StringComparison.Ordinal);

        var storedConsent = await ReadAsync<Consent>(consent);
        Assert.Equal(patient, storedConsent.Patient.Reference);
        Assert.Equal($"Organization/{referral.GpId}", storedConsent.Organization[0].Reference);
        Assert.Equal($"Organization/{referral.ProviderId}", storedConsent.Provision.Actor[0].Reference.Reference);
        var serviceRequest = await ReadAsync<ServiceRequest>(Reference(result.Entry[2]));
        Assert.Equal(patient, serviceRequest.Subject.Reference);
        Assert.Equal($"Organization/{referral.GpId}", serviceRequest.Requester.Reference);
        Assert.Equal(consent, serviceRequest.SupportingInfo[0].Reference);
    }

    [Fact]
    public async Task The_GP_referral_sent_twice_answers_the_existing_patient_and_service_request_instead_of_duplicates()
    {
        var referral = await GpReferral.PrepareAsync(_client);
        // Without its Bundle.identifier, so that the conditional creates are what keeps the resend safe (with it, see BundleIdempotencyTests).
        var bundle = FhirHttp.Parse<Bundle>(referral.Json);
        bundle.Identifier = null;
        using var first = await _client.PostBundleAsync(bundle);
        var created = await first.ReadResourceAsync<Bundle>();
        var before = await gateway.CountResourcesAsync();

        using var second = await _client.PostBundleAsync(bundle);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var resent = await second.ReadResourceAsync<Bundle>();
        Assert.Equal("200 OK", resent.Entry[0].Response.Status);
        Assert.Equal("200 OK", resent.Entry[2].Response.Status);
        Assert.Equal(Reference(created.Entry[0]), Reference(resent.Entry[0]));
        Assert.Equal(Reference(created.Entry[2]), Reference(resent.Entry[2]));
        Assert.Equal(created.Entry[2].Response.Etag, resent.Entry[2].Response.Etag);
        // The sample's Consent entry carries no ifNoneExist, so FHIR makes it a plain create: it is the one new row.
        Assert.Equal("201 Created", resent.Entry[1].Response.Status);
        Assert.Equal(before.With("Consent", +1), await gateway.CountResourcesAsync());
    }

    [Fact]
    public async Task A_transaction_with_one_invalid_entry_stores_nothing_and_names_that_entry()
    {
        var nhsNumber = Resources.NewNhsNumber();
        var invalid = Resources.MinimalServiceRequest("urn:uuid:0b1c2d3e-0000-4000-8000-000000000001");
        invalid.Status = null;
        var bundle = Transaction(
            Entry(Bundle.HTTPVerb.POST, "Patient", Resources.Patient(nhsNumber), "urn:uuid:0b1c2d3e-0000-4000-8000-000000000001"),
            Entry(Bundle.HTTPVerb.POST, "ServiceRequest", invalid));
        var before = await gateway.CountResourcesAsync();

        using var response = await _client.PostBundleAsync(bundle);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var issue = Assert.Single((await response.ReadOutcomeAsync()).Issue);
        Assert.Equal("Bundle.entry[1].resource.status", issue.Expression.Single());
        Assert.StartsWith("entry 1 (POST ServiceRequest): ", issue.Diagnostics, StringComparison.Ordinal);
        Assert.Equal(before, await gateway.CountResourcesAsync());
    }

    [Fact]
    public async Task An_invalid_xml_bundle_names_its_entries_too()
    {
        const string body = """
            <Bundle xmlns="http://hl7.org/fhir">
              <type value="transaction"/>
              <entry>
                <resource><Task><intent value="order"/></Task></resource>
                <request><method value="PUT"/><url value="Task/abc"/></request>
              </entry>
            </Bundle>
            """;

        using var response = await _client.SendAsync(HttpMethod.Post, _client.BaseAddress!.AbsoluteUri.TrimEnd('/'), FhirHttp.Content(body, FhirHttp.Xml));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var issue = Assert.Single((await response.ReadOutcomeAsync()).Issue, i => i.Expression.Contains("Bundle.entry[0].resource.status"));
        Assert.StartsWith("entry 0 (PUT Task/abc): ", issue.Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Racing_copies_of_one_GP_referral_make_one_patient_and_one_service_request()
    {
        var referral = await GpReferral.PrepareAsync(_client);
        var before = await gateway.CountResourcesAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _client.PostBundleAsync(referral.Json)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var results = await Task.WhenAll(responses.Select(r => r.ReadResourceAsync<Bundle>()));
        Assert.Single(results.Select(r => Reference(r.Entry[0])).Distinct());
        Assert.Single(results.Select(r => Reference(r.Entry[2])).Distinct());
        // The sample's Bundle.identifier makes the copies one Bundle (SPEC §3), so its unconditional Consent is created once too.
        Assert.Equal(before.With("Patient", 1).With("ServiceRequest", 1).With("Consent", 1).With("Task", 1).With("Provenance", 1), await gateway.CountResourcesAsync());
    }

    [Fact]
    public async Task A_failure_in_the_last_processed_entry_rolls_back_every_earlier_write()
    {
        using var existing = await _client.PostAsync("Patient", Resources.Patient());
        var patient = await existing.ReadResourceAsync<Patient>();
        var bundle = Transaction(
            Entry(Bundle.HTTPVerb.GET, "Patient/never-stored"),
            Entry(Bundle.HTTPVerb.POST, "Patient", Resources.Patient()),
            Entry(Bundle.HTTPVerb.DELETE, $"Patient/{patient.Id}"));
        var before = await gateway.CountResourcesAsync();

        using var response = await _client.PostBundleAsync(bundle);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var issue = Assert.Single((await response.ReadOutcomeAsync()).Issue);
        Assert.Equal("Bundle.entry[0]", issue.Expression.Single());
        Assert.StartsWith("entry 0 (GET Patient/never-stored): ", issue.Diagnostics, StringComparison.Ordinal);
        Assert.Equal(before, await gateway.CountResourcesAsync());
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"Patient/{patient.Id}")).StatusCode);
    }

    [Fact]
    public async Task Urn_uuid_references_inside_an_extension_and_a_contained_resource_are_rewritten()
    {
        const string gpPractice = "urn:uuid:9a8b7c6d-0000-4000-8000-00000000000a";
        var patient = Resources.Patient();
        patient.Extension.Add(new Extension("https://interop-gateway.example/registered-practice", new ResourceReference(gpPractice)));
        patient.Contained.Add(new Organization { Id = "branch", Name = "Branch surgery", PartOf = new ResourceReference(gpPractice) });
        patient.GeneralPractitioner.Add(new ResourceReference("#branch"));
        // The Patient comes first: it refers forward to an entry not yet created.
        var bundle = Transaction(
            Entry(Bundle.HTTPVerb.POST, "Patient", patient),
            Entry(Bundle.HTTPVerb.POST, "Organization", Resources.OrganizationWithOds(NewOdsCode()), gpPractice));

        using var response = await _client.PostBundleAsync(bundle);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.ReadResourceAsync<Bundle>();
        var organization = Reference(result.Entry[1]);
        var stored = await ReadAsync<Patient>(Reference(result.Entry[0]));
        Assert.Equal(organization, Assert.IsType<ResourceReference>(stored.Extension[0].Value).Reference);
        Assert.Equal(organization, Assert.IsType<Organization>(stored.Contained[0]).PartOf.Reference);
        Assert.Equal("#branch", stored.GeneralPractitioner[0].Reference);
    }

    [Fact]
    public async Task A_urn_uuid_that_no_entry_defines_is_400_naming_the_entry_and_the_element()
    {
        var bundle = Transaction(
            Entry(Bundle.HTTPVerb.POST, "Patient", Resources.Patient(), "urn:uuid:11111111-0000-4000-8000-000000000001"),
            Entry(Bundle.HTTPVerb.POST, "ServiceRequest", Resources.MinimalServiceRequest("urn:uuid:22222222-0000-4000-8000-000000000002")));
        var before = await gateway.CountResourcesAsync();

        using var response = await _client.PostBundleAsync(bundle);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var issue = Assert.Single((await response.ReadOutcomeAsync()).Issue);
        Assert.Equal("Bundle.entry[1].resource.subject.reference", issue.Expression.Single());
        Assert.Contains("urn:uuid:22222222-0000-4000-8000-000000000002", issue.Diagnostics, StringComparison.Ordinal);
        Assert.Equal(before, await gateway.CountResourcesAsync());
    }

    [Fact]
    public async Task Entries_are_processed_deletes_first_and_reads_last_but_answered_in_request_order()
    {
        var toUpdate = await (await _client.PostAsync("Patient", Resources.Patient())).ReadResourceAsync<Patient>();
        var toDelete = await (await _client.PostAsync("Patient", Resources.Patient())).ReadResourceAsync<Patient>();
        var update = Resources.Patient(toUpdate.Identifier[0].Value, family: "Updated");
        update.Id = toUpdate.Id;
        var bundle = Transaction(
            Entry(Bundle.HTTPVerb.GET, $"Patient/{toUpdate.Id}"),
            Entry(Bundle.HTTPVerb.PUT, $"Patient/{toUpdate.Id}", update),
            Entry(Bundle.HTTPVerb.GET, $"Patient/{toDelete.Id}/_history/1"),
            Entry(Bundle.HTTPVerb.DELETE, $"Patient/{toDelete.Id}"));

        using var response = await _client.PostBundleAsync(bundle);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.ReadResourceAsync<Bundle>();
        Assert.Equal(["200 OK", "200 OK", "200 OK", "204 No Content"], result.Entry.Select(e => e.Response.Status));
        // The GET in entry 0 ran after the PUT in entry 1, so it reads the new version.
        Assert.Equal("Updated", Assert.IsType<Patient>(result.Entry[0].Resource).Name[0].Family);
        Assert.Equal("W/\"2\"", result.Entry[0].Response.Etag);
        Assert.Equal($"Patient/{toUpdate.Id}/_history/2", result.Entry[1].Response.Location);
        Assert.Equal(toDelete.Id, result.Entry[2].Resource.Id);
        Assert.Equal("W/\"2\"", result.Entry[3].Response.Etag);
        Assert.Equal(HttpStatusCode.Gone, (await _client.GetAsync($"Patient/{toDelete.Id}")).StatusCode);
    }

    [Fact]
    public async Task Identical_conditional_creates_in_one_transaction_make_one_resource()
    {
        var nhsNumber = Resources.NewNhsNumber();
        var first = Entry(Bundle.HTTPVerb.POST, "Patient", Resources.Patient(nhsNumber));
        var second = Entry(Bundle.HTTPVerb.POST, "Patient", Resources.Patient(nhsNumber, family: "Again"));
        first.Request.IfNoneExist = second.Request.IfNoneExist = $"identifier=https://fhir.nhs.uk/Id/nhs-number|{nhsNumber}";
        var before = await gateway.CountResourcesAsync();

        using var response = await _client.PostBundleAsync(Transaction(first, second));

        var result = await response.ReadResourceAsync<Bundle>();
        Assert.Equal(["201 Created", "200 OK"], result.Entry.Select(e => e.Response.Status));
        Assert.Equal(result.Entry[0].Response.Location, result.Entry[1].Response.Location);
        Assert.Equal(before.With("Patient", 1), await gateway.CountResourcesAsync());
    }

    [Fact]
    public async Task A_stale_ifMatch_fails_the_transaction_with_412_and_stores_nothing()
    {
        var patient = await (await _client.PostAsync("Patient", Resources.Patient())).ReadResourceAsync<Patient>();
        var update = Resources.Patient(family: "Stale");
        update.Id = patient.Id;
        var bundle = Transaction(
            Entry(Bundle.HTTPVerb.POST, "Patient", Resources.Patient()),
            Entry(Bundle.HTTPVerb.PUT, $"Patient/{patient.Id}", update, ifMatch: "W/\"7\""));
        var before = await gateway.CountResourcesAsync();

        using var response = await _client.PostBundleAsync(bundle);

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        var issue = Assert.Single((await response.ReadOutcomeAsync()).Issue);
        Assert.StartsWith($"entry 1 (PUT Patient/{patient.Id}): ", issue.Diagnostics, StringComparison.Ordinal);
        Assert.Equal(before, await gateway.CountResourcesAsync());
    }

    [Fact]
    public async Task A_matching_ifMatch_updates_and_a_conditional_update_finds_its_resource()
    {
        var nhsNumber = Resources.NewNhsNumber();
        var patient = await (await _client.PostAsync("Patient", Resources.Patient(nhsNumber))).ReadResourceAsync<Patient>();
        var organization = await (await _client.PostAsync("Organization", Resources.OrganizationWithOds(NewOdsCode()))).ReadResourceAsync<Organization>();
        var renamed = Resources.OrganizationWithOds(organization.Identifier[0].Value);
        renamed.Id = organization.Id;
        renamed.Name = "Renamed";
        var bundle = Transaction(
            Entry(Bundle.HTTPVerb.PUT, $"Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|{nhsNumber}", Resources.Patient(nhsNumber, family: "Conditional")),
            Entry(Bundle.HTTPVerb.PUT, $"Organization/{organization.Id}", renamed, ifMatch: "W/\"1\""));

        using var response = await _client.PostBundleAsync(bundle);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.ReadResourceAsync<Bundle>();
        Assert.Equal($"Patient/{patient.Id}/_history/2", result.Entry[0].Response.Location);
        Assert.Equal("Conditional", Assert.IsType<Patient>(result.Entry[0].Resource).Name[0].Family);
        Assert.Equal("W/\"2\"", result.Entry[1].Response.Etag);
    }

    [Fact]
    public async Task Two_entries_acting_on_one_resource_fail_the_transaction()
    {
        var patient = await (await _client.PostAsync("Patient", Resources.Patient())).ReadResourceAsync<Patient>();
        var update = Resources.Patient();
        update.Id = patient.Id;
        var bundle = Transaction(
            Entry(Bundle.HTTPVerb.PUT, $"Patient/{patient.Id}", update),
            Entry(Bundle.HTTPVerb.DELETE, $"Patient/{patient.Id}"));

        using var response = await _client.PostBundleAsync(bundle);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"also acts on Patient/{patient.Id}", (await response.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"Patient/{patient.Id}")).StatusCode);
    }

    [Theory]
    [InlineData(0, HttpStatusCode.BadRequest, "matches no Organization")]
    [InlineData(2, HttpStatusCode.PreconditionFailed, "matches more than one Organization")]
    public async Task A_conditional_reference_must_match_exactly_one_resource(int organizations, HttpStatusCode expected, string message)
    {
        var odsCode = NewOdsCode();
        for (var i = 0; i < organizations; i++)
        {
            using var created = await _client.PostAsync("Organization", Resources.OrganizationWithOds(odsCode));
        }

        var patient = Resources.Patient();
        patient.ManagingOrganization = new ResourceReference($"Organization?identifier=https://fhir.nhs.uk/Id/ods-organization-code|{odsCode}");
        var before = await gateway.CountResourcesAsync();

        using var response = await _client.PostBundleAsync(Transaction(Entry(Bundle.HTTPVerb.POST, "Patient", patient)));

        Assert.Equal(expected, response.StatusCode);
        var issue = Assert.Single((await response.ReadOutcomeAsync()).Issue);
        Assert.Equal("Bundle.entry[0].resource.managingOrganization.reference", issue.Expression.Single());
        Assert.Contains(message, issue.Diagnostics, StringComparison.Ordinal);
        Assert.Equal(before, await gateway.CountResourcesAsync());
    }

    [Theory]
    [InlineData("return=minimal", false, false)]
    [InlineData("return=OperationOutcome", false, true)]
    [InlineData("return=representation", true, false)]
    public async Task Prefer_shapes_each_written_entry(string prefer, bool hasResource, bool hasOutcome)
    {
        using var response = await _client.PostBundleAsync(Transaction(Entry(Bundle.HTTPVerb.POST, "Patient", Resources.Patient())), ("Prefer", prefer));

        var entry = (await response.ReadResourceAsync<Bundle>()).Entry.Single();
        Assert.Equal("201 Created", entry.Response.Status);
        Assert.Matches("^Patient/[^/]+/_history/1$", entry.Response.Location);
        Assert.Equal(hasResource, entry.Resource is not null);
        Assert.Equal(hasOutcome, entry.Response.Outcome is not null);
    }

    [Theory]
    [InlineData("Observation", HttpStatusCode.NotFound)]
    [InlineData("Patient/1/2/3", HttpStatusCode.BadRequest)]
    public async Task Unsupported_entries_fail_the_transaction_naming_them(string url, HttpStatusCode expected)
    {
        var bundle = Transaction(Entry(Bundle.HTTPVerb.POST, "Patient", Resources.Patient()), Entry(Bundle.HTTPVerb.GET, url));

        using var response = await _client.PostBundleAsync(bundle);

        Assert.Equal(expected, response.StatusCode);
        var issue = Assert.Single((await response.ReadOutcomeAsync()).Issue);
        Assert.Equal("Bundle.entry[1].request.url", issue.Expression.Single());
        Assert.StartsWith($"entry 1 (GET {url}): ", issue.Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_entry_that_breaks_a_profile_fails_the_transaction_with_422_naming_it()
    {
        var broken = Resources.Patient("9995908302");
        var before = await gateway.CountResourcesAsync();

        using var response = await _client.PostBundleAsync(Transaction(
            Entry(Bundle.HTTPVerb.POST, "Patient", Resources.Patient()),
            Entry(Bundle.HTTPVerb.POST, "Patient", broken)));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var outcome = await response.ReadOutcomeAsync();
        Assert.Contains(outcome.Issue, i => i.Diagnostics.StartsWith("entry 1 (POST Patient)", StringComparison.Ordinal));
        Assert.Equal(before, await gateway.CountResourcesAsync());
    }

    [Fact]
    public async Task A_search_entry_runs_after_the_writes_and_sees_them()
    {
        var nhsNumber = Resources.NewNhsNumber();
        var bundle = Transaction(
            Entry(Bundle.HTTPVerb.GET, $"Patient?identifier={nhsNumber}&_total=accurate"),
            Entry(Bundle.HTTPVerb.POST, "Patient", Resources.Patient(nhsNumber)));

        using var response = await _client.PostBundleAsync(bundle);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.ReadResourceAsync<Bundle>();
        var searchset = Assert.IsType<Bundle>(answer.Entry[0].Resource);
        Assert.Equal(Bundle.BundleType.Searchset, searchset.Type);
        Assert.Equal(1, searchset.Total);
        Assert.Equal(answer.Entry[1].Resource.Id, searchset.Entry.Single().Resource.Id);
    }

    [Fact]
    public async Task A_bundle_of_type_collection_is_400()
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Collection, Entry = [new() { FullUrl = "urn:uuid:33333333-0000-4000-8000-000000000003", Resource = Resources.Patient() }] };

        using var response = await _client.PostBundleAsync(bundle);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Bundle.type", (await response.ReadOutcomeAsync()).Issue[0].Expression.Single());
    }

    [Fact]
    public async Task The_capability_statement_lists_transaction_and_batch()
    {
        var statement = await (await _client.GetAsync("metadata")).ReadResourceAsync<CapabilityStatement>();

        var codes = statement.Rest[0].Interaction.Select(i => i.Code).ToList();
        Assert.Contains(CapabilityStatement.SystemRestfulInteraction.Transaction, codes);
        Assert.Contains(CapabilityStatement.SystemRestfulInteraction.Batch, codes);
    }

    internal static Bundle Transaction(params Bundle.EntryComponent[] entries) => new() { Type = Bundle.BundleType.Transaction, Entry = [.. entries] };

    internal static Bundle.EntryComponent Entry(Bundle.HTTPVerb method, string url, Resource? resource = null, string? fullUrl = null, string? ifMatch = null) => new()
    {
        FullUrl = fullUrl ?? (resource is null ? null : $"urn:uuid:{Guid.NewGuid()}"),
        Resource = resource,
        Request = new Bundle.RequestComponent { Method = method, Url = url, IfMatch = ifMatch },
    };

    internal static string NewOdsCode() => "T" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    /// <summary>"Patient/123" from a response entry's location "Patient/123/_history/1".</summary>
    private static string Reference(Bundle.EntryComponent entry) => string.Join('/', entry.Response.Location.Split('/')[..2]);

    private async Task<T> ReadAsync<T>(string reference) where T : Resource
    {
        using var response = await _client.GetAsync(reference);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadResourceAsync<T>();
    }
}
