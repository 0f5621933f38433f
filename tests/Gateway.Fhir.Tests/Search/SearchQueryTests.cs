using Gateway.Fhir.Errors;
using Gateway.Fhir.Search;

namespace Gateway.Fhir.Tests.Search;

public sealed class SearchQueryTests
{
    [Fact]
    public void Commas_separate_values_unless_escaped()
    {
        var criteria = SearchQuery.Parse("Patient", @"family=a,b\,c");

        Assert.Equal(["a", "b,c"], criteria.Clauses.Single().Values);
    }

    [Fact]
    public void The_canonical_key_ignores_parameter_order()
    {
        var one = SearchQuery.Parse("Patient", "family=x&birthdate=1951");
        var other = SearchQuery.Parse("Patient", "birthdate=1951&family=x");

        Assert.Equal(one.CanonicalKey, other.CanonicalKey);
    }

    [Theory]
    [InlineData("shoe-size=42", "shoe-size")]
    [InlineData("family:sounds-like=x", "family:sounds-like")]
    [InlineData("family=", "family")]
    public void Unknown_or_empty_parameters_are_refused_naming_them(string query, string expression)
    {
        var error = Assert.Throws<FhirException>(() => SearchQuery.Parse("Patient", query));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal(expression, error.Issues[0].Expression.Single());
    }
}
