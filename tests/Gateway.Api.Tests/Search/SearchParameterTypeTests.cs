using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Search;

/// <summary>Each parameter type with matching and non-matching data (FHIR R4 search.html).</summary>
public sealed class SearchParameterTypeTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private readonly HttpClient _client = gateway.Client;

    [Fact]
    public async Task Token_matches_code_system_and_code_no_system_and_system_only()
    {
        var nhs = Resources.NewNhsNumber();
        var withSystem = await _client.CreateAsync(Resources.Patient(nhs));
        // The profile needs an NHS number or BSN, so the system-less identifier comes beside another NHS number.
        var noSystem = Resources.Patient();
        noSystem.Identifier.Add(new Identifier { Value = nhs });
        var withoutSystem = await _client.CreateAsync(noSystem);

        Assert.Equal([withSystem.Id, withoutSystem.Id], (await _client.SearchAsync($"Patient?identifier={nhs}")).MatchIds());
        Assert.Equal([withSystem.Id], (await _client.SearchAsync($"Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|{nhs}")).MatchIds());
        Assert.Equal([withoutSystem.Id], (await _client.SearchAsync($"Patient?identifier=|{nhs}")).MatchIds());
        Assert.Contains(withSystem.Id, (await _client.SearchAsync("Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|&_count=500")).MatchIds());
        Assert.Empty((await _client.SearchAsync($"Patient?identifier=http://other.example|{nhs}")).MatchIds());
    }

    [Fact]
    public async Task Token_not_excludes_and_text_matches_the_display()
    {
        var (owner, _) = await Referral();
        var requested = (await gateway.SeedAsync(Resources.Task("sr", "p", owner.Id))).Id;
        var accepted = (await gateway.SeedAsync(Resources.Task("sr", "p", owner.Id, Hl7.Fhir.Model.Task.TaskStatus.Accepted))).Id;

        Assert.Equal([accepted], (await _client.SearchAsync($"Task?owner={owner.Id}&status:not=requested")).MatchIds());
        Assert.Equal([requested, accepted], (await _client.SearchAsync($"Task?owner={owner.Id}&code:text=FULF")).MatchIds());
        Assert.Equal([requested, accepted], (await _client.SearchAsync($"Task?owner={owner.Id}&status=requested,accepted")).MatchIds());
    }

    [Fact]
    public async Task String_is_a_case_and_accent_insensitive_prefix_with_exact_and_contains()
    {
        var marker = "Zoë" + Guid.NewGuid().ToString("N")[..6];
        var patient = await _client.CreateAsync(Resources.Patient(family: marker + "-Müller"));
        var plain = marker.Replace("ë", "e", StringComparison.Ordinal).ToUpperInvariant();

        Assert.Equal([patient.Id], (await _client.SearchAsync($"Patient?family={plain}")).MatchIds());
        Assert.Empty((await _client.SearchAsync($"Patient?family=X{plain}")).MatchIds());
        Assert.Equal([patient.Id], (await _client.SearchAsync($"Patient?family:exact={Uri.EscapeDataString(marker + "-Müller")}")).MatchIds());
        Assert.Empty((await _client.SearchAsync($"Patient?family:exact={plain}-MULLER")).MatchIds());
        Assert.Equal([patient.Id], (await _client.SearchAsync($"Patient?family:contains=muller&family={plain}")).MatchIds());
    }

    [Theory]
    [InlineData("1951", true)]
    [InlineData("1951-03", true)]
    [InlineData("1951-03-08", true)]
    [InlineData("1951-03-09", false)]
    [InlineData("gt1951-03-07", true)]
    [InlineData("gt1951-03-08", false)]
    [InlineData("ge1951-03-08", true)]
    [InlineData("lt1951-03-09", true)]
    [InlineData("lt1951-03-08", false)]
    [InlineData("le1951-03-08", true)]
    [InlineData("ne1951-03-08", false)]
    [InlineData("ne1952", true)]
    [InlineData("sa1950", true)]
    [InlineData("sa1951-03-08", false)]
    [InlineData("eb1952", true)]
    [InlineData("eb1951", false)]
    [InlineData("ap1951-03", true)]
    public async Task Date_prefixes_compare_ranges(string value, bool matches)
    {
        var nhs = Resources.NewNhsNumber();
        var patient = await _client.CreateAsync(Resources.Patient(nhs));

        var found = (await _client.SearchAsync($"Patient?identifier={nhs}&birthdate={value}")).MatchIds();

        Assert.Equal(matches ? [patient.Id] : [], found);
    }

    [Fact]
    public async Task Date_searches_a_period_with_range_semantics()
    {
        var patient = await _client.CreateAsync(Resources.Patient());
        var consent = await _client.CreateAsync(Resources.Consent(patient.Id, "hfactor-housing"));

        // eq needs the search range to contain the whole period, which runs from 2026 into 2027.
        Assert.Empty((await _client.SearchAsync($"Consent?patient={patient.Id}&period=2027")).MatchIds());
        Assert.Equal([consent.Id], (await _client.SearchAsync($"Consent?patient={patient.Id}&period=ge2026-09-28")).MatchIds());
        Assert.Equal([consent.Id], (await _client.SearchAsync($"Consent?patient={patient.Id}&period=ap2027-01")).MatchIds());
        Assert.Equal([consent.Id], (await _client.SearchAsync($"Consent?patient={patient.Id}&period=lt2026-10")).MatchIds());
        Assert.Empty((await _client.SearchAsync($"Consent?patient={patient.Id}&period=sa2027")).MatchIds());
        Assert.Equal([consent.Id], (await _client.SearchAsync($"Consent?patient={patient.Id}&date=2026-09-28")).MatchIds());
    }

    [Fact]
    public async Task Reference_matches_type_and_id_bare_id_and_this_servers_absolute_url()
    {
        var (owner, other) = await Referral();
        var task = await gateway.SeedAsync(Resources.Task("sr-1", "p-1", owner.Id));
        await gateway.SeedAsync(Resources.Task("sr-1", "p-1", other.Id));

        Assert.Equal([task.Id], (await _client.SearchAsync($"Task?owner=Organization/{owner.Id}")).MatchIds());
        Assert.Equal([task.Id], (await _client.SearchAsync($"Task?owner={owner.Id}")).MatchIds());
        Assert.Equal([task.Id], (await _client.SearchAsync($"Task?owner:Organization={owner.Id}")).MatchIds());
        Assert.Equal([task.Id], (await _client.SearchAsync($"Task?owner={gateway.BaseAddress}Organization/{owner.Id}")).MatchIds());
        Assert.Empty((await _client.SearchAsync($"Task?owner=Practitioner/{owner.Id}")).MatchIds());
    }

    [Fact]
    public async Task Reference_identifier_modifier_matches_the_target_by_its_identifier()
    {
        var owner = await _client.CreateAsync(Resources.Organization("Owner by ODS"));
        var task = await gateway.SeedAsync(Resources.Task("sr-2", "p-2", owner.Id));

        var found = await _client.SearchAsync($"Task?owner:identifier=https://fhir.nhs.uk/Id/ods-organization-code|{owner.Identifier[0].Value}");

        Assert.Equal([task.Id], found.MatchIds());
    }

    [Fact]
    public async Task Id_and_last_updated_are_searchable()
    {
        var patient = await _client.CreateAsync(Resources.Patient());
        var at = patient.Meta.LastUpdated!.Value;

        Assert.Equal([patient.Id], (await _client.SearchAsync($"Patient?_id={patient.Id}")).MatchIds());
        Assert.Equal([patient.Id], (await _client.SearchAsync($"Patient?_id={patient.Id}&_lastUpdated=ge{Uri.EscapeDataString(at.AddSeconds(-1).ToString("yyyy-MM-ddTHH:mm:ssK"))}")).MatchIds());
        Assert.Empty((await _client.SearchAsync($"Patient?_id={patient.Id}&_lastUpdated=gt{Uri.EscapeDataString(at.AddSeconds(1).ToString("yyyy-MM-ddTHH:mm:ssK"))}")).MatchIds());
    }

    [Fact]
    public async Task Repeated_parameters_are_anded_and_commas_are_ored()
    {
        var marker = "And" + Guid.NewGuid().ToString("N")[..6];
        var both = await _client.CreateAsync(Resources.Patient(family: marker));
        var onlyFamily = Resources.Patient(family: marker);
        onlyFamily.BirthDate = "1970-01-01";
        var other = await _client.CreateAsync(onlyFamily);

        Assert.Equal([both.Id], (await _client.SearchAsync($"Patient?family={marker}&birthdate=ge1951&birthdate=le1951-12-31")).MatchIds());
        Assert.Equal([both.Id, other.Id], (await _client.SearchAsync($"Patient?family={marker}&birthdate=1951,1970")).MatchIds());
    }

    [Fact]
    public async Task The_guides_due_parameter_searches_the_task_sla_deadline()
    {
        var (owner, _) = await Referral();
        var dueSoon = Resources.Task("sr", "p", owner.Id);
        dueSoon.Restriction = new Hl7.Fhir.Model.Task.RestrictionComponent { Period = new Period { End = "2026-10-03" } };
        var dueLater = Resources.Task("sr", "p", owner.Id);
        dueLater.Restriction = new Hl7.Fhir.Model.Task.RestrictionComponent { Period = new Period { End = "2026-10-20" } };
        var soon = (await gateway.SeedAsync(dueSoon)).Id;
        var later = (await gateway.SeedAsync(dueLater)).Id;

        Assert.Equal([soon], (await _client.SearchAsync($"Task?owner={owner.Id}&due=lt2026-10-04")).MatchIds());
        Assert.Equal([soon, later], (await _client.SearchAsync($"Task?owner={owner.Id}&due=ge2026-10-01&_sort=due")).MatchIds());
    }

    [Fact]
    public async Task Missing_finds_resources_with_or_without_a_value()
    {
        var marker = "Missing" + Guid.NewGuid().ToString("N")[..6];
        // gender rather than birthdate: the Patient profile makes the date of birth required.
        var withGender = await _client.CreateAsync(Resources.Patient(family: marker));
        var noGender = Resources.Patient(family: marker);
        noGender.Gender = null;
        var withoutGender = await _client.CreateAsync(noGender);

        Assert.Equal([withoutGender.Id], (await _client.SearchAsync($"Patient?family={marker}&gender:missing=true")).MatchIds());
        Assert.Equal([withGender.Id], (await _client.SearchAsync($"Patient?family={marker}&gender:missing=false")).MatchIds());
    }

    [Fact]
    public async Task A_malformed_date_value_is_400_naming_the_parameter()
    {
        using var response = await _client.GetAsync("Patient?birthdate=yesterday");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("birthdate", (await response.ReadOutcomeAsync()).Issue[0].Expression.Single());
    }

    [Fact]
    public async Task Search_values_are_bound_never_concatenated()
    {
        var injection = Uri.EscapeDataString("x' or '1'='1");

        var found = await _client.SearchAsync($"Patient?family={injection}&identifier={injection}");

        Assert.Empty(found.MatchIds());
    }

    private async Task<(Organization Owner, Organization Other)> Referral() =>
        (await _client.CreateAsync(Resources.Organization("Owner")), await _client.CreateAsync(Resources.Organization("Other")));
}
