using Gateway.Fhir.Access;

namespace Gateway.Fhir.Tests.Access;

public sealed class SmartScopesTests
{
    [Theory]
    [InlineData("system/Task.rus", "Task", 'r', true)]
    [InlineData("system/Task.rus", "Task", 'c', false)]
    [InlineData("system/Task.rus", "Patient", 'r', false)]
    [InlineData("system/*.rs", "Patient", 's', true)]
    [InlineData("system/Task.read", "Task", 's', true)]
    [InlineData("system/Task.read", "Task", 'u', false)]
    [InlineData("system/Task.write", "Task", 'd', true)]
    [InlineData("system/*.*", "Consent", 'c', true)]
    [InlineData("gateway/records.write", "Task", 'r', false)]
    public void Permissions_follow_smart_v2_and_v1_scopes(string scopes, string type, char permission, bool permitted) =>
        Assert.Equal(permitted, SmartScopes.Parse(scopes).Permits(type, permission));

    [Theory]
    [InlineData("system/Task.rus system/Patient.rs", "system/Task.cruds", "system/Task.rus")]
    [InlineData("system/Task.rus system/Patient.rs", "system/*.rs", "system/Patient.rs system/Task.rs")]
    [InlineData("system/*.cruds", "system/Task.read", "system/Task.rs")]
    [InlineData("system/Task.rs gateway/records.write", "gateway/records.write system/Consent.r", "gateway/records.write")]
    [InlineData("system/Task.rs", "system/Consent.r", "")]
    public void A_request_is_narrowed_to_what_is_allowed(string allowed, string requested, string granted) =>
        Assert.Equal(granted, SmartScopes.Parse(allowed).Narrow(SmartScopes.Parse(requested)));
}
