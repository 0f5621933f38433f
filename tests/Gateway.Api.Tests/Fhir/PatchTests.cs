using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Fhir;

public sealed class PatchTests(GatewayApp gateway) : IClassFixture<GatewayApp>
{
    private const string JsonPatch = "application/json-patch+json";
    private const string Accept = """[{"op":"replace","path":"/status","value":"accepted"}]""";

    private readonly HttpClient _client = gateway.Client;

    private async Task<Hl7.Fhir.Model.Task> CreateTask()
    {
        // The GP both requests and owns it here, so its client may make every move the tests patch in.
        var task = Resources.Task("sr-patch", "p-patch", TestPartners.Gp);
        task.Description = "Housing support referral";
        task.Note = [new Annotation { Text = "Referred by the GP practice" }];
        return await gateway.SeedAsync(task);
    }

    [Fact]
    public async Task A_patch_that_breaks_the_profile_is_422_and_stores_nothing()
    {
        var task = await CreateTask();

        using var response = await PatchAsync($"Task/{task.Id}", """[{"op":"remove","path":"/owner"}]""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("1", (await ReadTask(task.Id)).Meta.VersionId);
    }

    private Task<HttpResponseMessage> PatchAsync(string path, string patch, params (string Name, string Value)[] headers) =>
        _client.SendAsync(HttpMethod.Patch, path, FhirHttp.Content(patch, JsonPatch), headers);

    private async Task<Hl7.Fhir.Model.Task> ReadTask(string id) =>
        await (await _client.GetAsync($"Task/{id}")).ReadResourceAsync<Hl7.Fhir.Model.Task>();

    [Fact]
    public async Task Patching_a_Task_from_requested_to_accepted_stores_version_2_with_method_PATCH()
    {
        var task = await CreateTask();

        using var response = await PatchAsync($"Task/{task.Id}", Accept);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("W/\"2\"", response.Headers.ETag?.ToString());
        Assert.NotNull(response.Content.Headers.LastModified);
        var patched = await response.ReadResourceAsync<Hl7.Fhir.Model.Task>();
        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.Accepted, patched.Status);
        Assert.Equal("2", patched.Meta.VersionId);
        Assert.Equal("Housing support referral", patched.Description);
        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.Accepted, (await ReadTask(task.Id)).Status);

        var history = await (await _client.GetAsync($"Task/{task.Id}/_history")).ReadResourceAsync<Bundle>();
        Assert.Equal([Bundle.HTTPVerb.PATCH, Bundle.HTTPVerb.POST], history.Entry.Select(e => e.Request.Method!.Value));
        Assert.Equal($"Task/{task.Id}", history.Entry[0].Request.Url);
    }

    [Fact]
    public async Task If_match_with_the_current_version_patches()
    {
        var task = await CreateTask();

        using var response = await PatchAsync($"Task/{task.Id}", Accept, ("If-Match", "W/\"1\""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("W/\"2\"", response.Headers.ETag?.ToString());
    }

    [Fact]
    public async Task If_match_with_a_stale_version_is_412_and_changes_nothing()
    {
        var task = await CreateTask();
        using (await PatchAsync($"Task/{task.Id}", """[{"op":"replace","path":"/description","value":"Second"}]"""))
        {
        }

        using var response = await PatchAsync($"Task/{task.Id}", Accept, ("If-Match", "W/\"1\""));

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Contains("current version is 2", (await response.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
        var current = await ReadTask(task.Id);
        Assert.Equal("2", current.Meta.VersionId);
        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.Requested, current.Status);
    }

    [Fact]
    public async Task Concurrent_patches_are_applied_one_after_the_other_and_none_is_lost()
    {
        var task = await CreateTask();

        var responses = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            PatchAsync($"Task/{task.Id}", $$$"""[{"op":"add","path":"/note/-","value":{"text":"Note {{{i}}}"}}]""")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var current = await ReadTask(task.Id);
        Assert.Equal("9", current.Meta.VersionId);
        Assert.Equal(9, current.Note.Count);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_patch_that_makes_the_Task_invalid_is_400_naming_Task_status_and_stores_nothing()
    {
        var task = await CreateTask();

        using var response = await PatchAsync($"Task/{task.Id}", """[{"op":"replace","path":"/status","value":"nonsense"}]""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains((await response.ReadOutcomeAsync()).Issue, i => i.Expression.Contains("Task.status"));
        Assert.Equal("1", (await ReadTask(task.Id)).Meta.VersionId);
    }

    [Fact]
    public async Task A_patch_that_changes_the_id_is_400_and_stores_nothing()
    {
        var task = await CreateTask();

        using var response = await PatchAsync($"Task/{task.Id}", """[{"op":"replace","path":"/id","value":"someone-else"}]""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Task.id", (await response.ReadOutcomeAsync()).Issue[0].Expression.Single());
        Assert.Equal("1", (await ReadTask(task.Id)).Meta.VersionId);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("Task/someone-else")).StatusCode);
    }

    [Fact]
    public async Task A_patch_that_changes_the_resource_type_is_400()
    {
        var task = await CreateTask();

        using var response = await PatchAsync($"Task/{task.Id}", """[{"op":"replace","path":"/resourceType","value":"Patient"}]""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("may not change the resource type", (await response.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_test_operation_is_422_naming_the_operation_and_stores_nothing()
    {
        var task = await CreateTask();
        var patch = """[{"op":"test","path":"/status","value":"requested"},{"op":"replace","path":"/status","value":"accepted"},{"op":"test","path":"/meta/versionId","value":"7"}]""";

        using var response = await PatchAsync($"Task/{task.Id}", patch);

        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        Assert.StartsWith("operation 2 (test /meta/versionId): test failed", (await response.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.Requested, (await ReadTask(task.Id)).Status);
    }

    [Fact]
    public async Task A_malformed_patch_is_400_naming_the_operation()
    {
        var task = await CreateTask();

        using var response = await PatchAsync($"Task/{task.Id}", """[{"op":"test","path":"/status","value":"requested"},{"op":"replace","path":"/status"}]""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("operation 1 (replace /status): has no 'value'.", (await response.ReadOutcomeAsync()).Issue[0].Diagnostics);
    }

    [Theory]
    [InlineData("application/fhir+json")]
    [InlineData("application/json")]
    [InlineData("application/merge-patch+json")]
    public async Task A_patch_that_is_not_json_patch_is_415_saying_what_to_send(string contentType)
    {
        var task = await CreateTask();

        using var response = await _client.SendAsync(HttpMethod.Patch, $"Task/{task.Id}", FhirHttp.Content(Accept, contentType));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains(JsonPatch, (await response.ReadOutcomeAsync()).Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patching_a_deleted_resource_is_410()
    {
        // A referral Task is never deleted (it is marked entered-in-error), so a Patient stands in.
        var patient = await _client.CreateAsync(Resources.Patient());
        using (await _client.DeleteAsync($"Patient/{patient.Id}"))
        {
        }

        using var response = await PatchAsync($"Patient/{patient.Id}", """[{"op":"replace","path":"/gender","value":"male"}]""");

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal(OperationOutcome.IssueType.Deleted, (await response.ReadOutcomeAsync()).Issue[0].Code);
        var history = await (await _client.GetAsync($"Patient/{patient.Id}/_history")).ReadResourceAsync<Bundle>();
        Assert.Equal(2, history.Entry.Count);
    }

    [Fact]
    public async Task Patching_an_unknown_Task_is_404()
    {
        using var response = await PatchAsync("Task/nobody", Accept);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(OperationOutcome.IssueType.NotFound, (await response.ReadOutcomeAsync()).Issue[0].Code);
    }

    [Fact]
    public async Task Prefer_return_minimal_on_patch_answers_without_a_body()
    {
        var task = await CreateTask();

        using var response = await PatchAsync($"Task/{task.Id}", Accept, ("Prefer", "return=minimal"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("W/\"2\"", response.Headers.ETag?.ToString());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Prefer_return_OperationOutcome_on_patch_answers_with_an_outcome()
    {
        var task = await CreateTask();

        using var response = await PatchAsync($"Task/{task.Id}", Accept, ("Prefer", "return=OperationOutcome"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(OperationOutcome.IssueSeverity.Information, (await response.ReadOutcomeAsync()).Issue[0].Severity);
    }

    [Fact]
    public async Task The_patched_Task_can_be_asked_for_as_xml()
    {
        var task = await CreateTask();

        using var response = await PatchAsync($"Task/{task.Id}?_format=xml", Accept);

        Assert.Equal(FhirHttp.Xml, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.Accepted, (await response.ReadResourceAsync<Hl7.Fhir.Model.Task>()).Status);
    }
}
