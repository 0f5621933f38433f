using System.Text;
using System.Text.Json.Nodes;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Patching;

namespace Gateway.Fhir.Tests.Patching;

public sealed class JsonPatchTests
{
    private static string Apply(string document, string patch) =>
        JsonPatch.Parse(Encoding.UTF8.GetBytes(patch)).Apply(JsonNode.Parse(document))?.ToJsonString() ?? "null";

    private static string Json(string json) => JsonNode.Parse(json)!.ToJsonString();

    private static InvalidPatchException Fails(string document, string patch) =>
        Assert.Throws<InvalidPatchException>(() => Apply(document, patch));

    [Fact]
    public void Add_sets_a_new_member_and_replaces_an_existing_one()
    {
        var result = Apply("""{"a":1}""", """[{"op":"add","path":"/b","value":{"c":[true]}},{"op":"add","path":"/a","value":2}]""");

        Assert.Equal(Json("""{"a":2,"b":{"c":[true]}}"""), result);
    }

    [Fact]
    public void Add_inserts_before_an_array_index_and_dash_appends()
    {
        var result = Apply("""{"a":[1,3]}""", """[{"op":"add","path":"/a/1","value":2},{"op":"add","path":"/a/-","value":4},{"op":"add","path":"/a/4","value":5}]""");

        Assert.Equal(Json("""{"a":[1,2,3,4,5]}"""), result);
    }

    [Fact]
    public void Add_at_the_root_replaces_the_whole_document()
    {
        Assert.Equal(Json("""{"b":1}"""), Apply("""{"a":1}""", """[{"op":"add","path":"","value":{"b":1}}]"""));
    }

    [Fact]
    public void Add_accepts_null_as_a_value()
    {
        Assert.Equal(Json("""{"a":null}"""), Apply("{}", """[{"op":"add","path":"/a","value":null}]"""));
    }

    [Fact]
    public void Add_past_the_end_of_an_array_is_422()
    {
        var error = Fails("""{"a":[1]}""", """[{"op":"add","path":"/a/2","value":2}]""");

        Assert.Equal(422, error.StatusCode);
        Assert.StartsWith("operation 0 (add /a/2): '2' is not an index from 0 to 1", error.Issues[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_under_a_missing_parent_is_422()
    {
        var error = Fails("{}", """[{"op":"add","path":"/a/b","value":1}]""");

        Assert.Equal(422, error.StatusCode);
        Assert.Equal("operation 0 (add /a/b): /a does not exist.", error.Issues[0].Diagnostics);
    }

    [Fact]
    public void Remove_takes_out_a_member_and_an_array_item()
    {
        var result = Apply("""{"a":1,"b":[1,2,3]}""", """[{"op":"remove","path":"/a"},{"op":"remove","path":"/b/1"}]""");

        Assert.Equal(Json("""{"b":[1,3]}"""), result);
    }

    [Fact]
    public void Remove_of_a_missing_array_item_says_how_many_there_are()
    {
        var error = Fails("""{"b":[1,2]}""", """[{"op":"test","path":"/b/0","value":1},{"op":"remove","path":"/b/2"}]""");

        Assert.Equal(422, error.StatusCode);
        Assert.Equal("operation 1 (remove /b/2): /b/2 does not exist: the array at /b has 2 items.", error.Issues[0].Diagnostics);
    }

    [Fact]
    public void Replace_keeps_the_member_in_its_place()
    {
        var result = Apply("""{"a":1,"b":2,"c":[1,2]}""", """[{"op":"replace","path":"/a","value":"x"},{"op":"replace","path":"/c/1","value":3}]""");

        Assert.Equal(Json("""{"a":"x","b":2,"c":[1,3]}"""), result);
    }

    [Fact]
    public void Replace_of_a_missing_member_is_422()
    {
        var error = Fails("""{"a":1}""", """[{"op":"replace","path":"/status","value":"accepted"}]""");

        Assert.Equal(422, error.StatusCode);
        Assert.Equal("operation 0 (replace /status): /status does not exist.", error.Issues[0].Diagnostics);
    }

    [Fact]
    public void Move_removes_from_one_place_and_adds_at_another()
    {
        var result = Apply("""{"a":{"x":1},"b":[]}""", """[{"op":"move","from":"/a/x","path":"/b/-"},{"op":"move","from":"/a","path":"/c"}]""");

        Assert.Equal(Json("""{"b":[1],"c":{}}"""), result);
    }

    [Fact]
    public void Move_into_its_own_child_is_422()
    {
        var error = Fails("""{"a":{"b":{}}}""", """[{"op":"move","from":"/a","path":"/a/b/c"}]""");

        Assert.Equal(422, error.StatusCode);
        Assert.Contains("cannot be moved inside itself", error.Issues[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public void Copy_makes_an_independent_copy()
    {
        var result = Apply("""{"a":{"x":1}}""", """[{"op":"copy","from":"/a","path":"/b"},{"op":"replace","path":"/b/x","value":2}]""");

        Assert.Equal(Json("""{"a":{"x":1},"b":{"x":2}}"""), result);
    }

    [Fact]
    public void Copy_cannot_grow_a_document_without_bound()
    {
        var numbers = string.Join(',', Enumerable.Range(0, 100));
        var doubling = string.Join(',', Enumerable.Repeat("""{"op":"copy","from":"/a","path":"/a/-"}""", 20));

        var error = Fails($$"""{"a":[{{numbers}}]}""", $"[{doubling}]");

        Assert.Equal(422, error.StatusCode);
        Assert.Contains("copies would add more than", error.Issues[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public void A_result_nested_deeper_than_the_parser_allows_is_422()
    {
        var nested = new string('[', 40) + new string(']', 40);
        var innermost = "/a" + string.Concat(Enumerable.Repeat("/0", 39)) + "/-";

        var error = Fails("{}", $$"""[{"op":"add","path":"/a","value":{{nested}}},{"op":"copy","from":"/a","path":"{{innermost}}"}]""");

        Assert.Equal(422, error.StatusCode);
        Assert.StartsWith("operation 1 (copy /a/0/0", error.Issues[0].Diagnostics, StringComparison.Ordinal);
        Assert.EndsWith("the result would nest 81 levels deep, more than the 64 allowed.", error.Issues[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public void Test_compares_numbers_by_value_and_objects_in_any_order()
    {
        var result = Apply("""{"n":1,"o":{"a":1,"b":[1,"x"]}}""", """[{"op":"test","path":"/n","value":1.0},{"op":"test","path":"/o","value":{"b":[1,"x"],"a":1}}]""");

        Assert.Equal(Json("""{"n":1,"o":{"a":1,"b":[1,"x"]}}"""), result);
    }

    [Fact]
    public void A_failing_test_is_422_names_the_operation_and_changes_nothing()
    {
        var document = JsonNode.Parse("""{"status":"requested"}""");
        var patch = JsonPatch.Parse("""[{"op":"replace","path":"/status","value":"accepted"},{"op":"test","path":"/status","value":"requested"}]"""u8);

        var error = Assert.Throws<InvalidPatchException>(() => patch.Apply(document));

        Assert.Equal(422, error.StatusCode);
        Assert.Equal("""operation 1 (test /status): test failed: the value is "accepted", not "requested".""", error.Issues[0].Diagnostics);
        Assert.Equal(Json("""{"status":"requested"}"""), document!.ToJsonString());
    }

    [Fact]
    public void Applying_leaves_the_input_and_the_patch_reusable()
    {
        var document = JsonNode.Parse("""{"a":[]}""");
        var patch = JsonPatch.Parse("""[{"op":"add","path":"/a/-","value":{"x":1}}]"""u8);

        patch.Apply(document);
        var twice = patch.Apply(patch.Apply(document));

        Assert.Equal(Json("""{"a":[]}"""), document!.ToJsonString());
        Assert.Equal(Json("""{"a":[{"x":1},{"x":1}]}"""), twice!.ToJsonString());
    }

    [Fact]
    public void Pointer_escapes_tilde_0_and_tilde_1_are_decoded_in_that_order()
    {
        var result = Apply("""{"a/b":1,"m~n":2,"~1":3}""",
            """[{"op":"test","path":"/a~1b","value":1},{"op":"test","path":"/m~0n","value":2},{"op":"remove","path":"/~01"},{"op":"add","path":"/x~1y","value":4}]""");

        Assert.Equal(Json("""{"a/b":1,"m~n":2,"x/y":4}"""), result);
    }

    [Fact]
    public void Error_messages_show_pointers_escaped_as_written()
    {
        var error = Fails("{}", """[{"op":"remove","path":"/a~1b"}]""");

        Assert.Equal("operation 0 (remove /a~1b): /a~1b does not exist.", error.Issues[0].Diagnostics);
    }

    [Theory]
    [InlineData("01")]
    [InlineData("-")]
    [InlineData("x")]
    public void Tokens_that_are_not_an_existing_index_do_not_address_an_array_item(string token)
    {
        var error = Fails("""{"a":[1,2]}""", $$"""[{"op":"replace","path":"/a/{{token}}","value":0}]""");

        Assert.Equal(422, error.StatusCode);
    }

    [Theory]
    [InlineData("""{"op":"add","path":"/a"}""", "operation 1 (add /a): has no 'value'.")]
    [InlineData("""{"op":"delete","path":"/a"}""", "operation 1: 'delete' is not a JSON Patch op (add, remove, replace, move, copy or test).")]
    [InlineData("""{"path":"/a"}""", "operation 1: has no 'op' string.")]
    [InlineData("""{"op":"remove"}""", "operation 1 (remove): has no 'path' string.")]
    [InlineData("""{"op":"move","path":"/a"}""", "operation 1 (move /a): has no 'from' string.")]
    [InlineData("""{"op":"remove","path":"a"}""", "operation 1 (remove a): path 'a' is not a JSON Pointer: it must be empty or start with '/'.")]
    [InlineData("""{"op":"remove","path":"/a~2"}""", "operation 1 (remove /a~2): path '/a~2' is not a JSON Pointer: '~' must be followed by 0 or 1.")]
    [InlineData("""{"op":"copy","from":"x","path":"/a"}""", "operation 1 (copy /a): from 'x' is not a JSON Pointer: it must be empty or start with '/'.")]
    [InlineData("\"remove /a\"", "operation 1: is not an object with 'op' and 'path'.")]
    public void A_malformed_operation_is_400_naming_its_index(string operation, string diagnostics)
    {
        var error = Assert.Throws<InvalidPatchException>(() => JsonPatch.Parse(Encoding.UTF8.GetBytes($$$"""[{"op":"test","path":"","value":{}},{{{operation}}}]""")));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal(diagnostics, error.Issues[0].Diagnostics);
    }

    [Theory]
    [InlineData("""{"op":"replace","path":"/status","value":"accepted"}""")]
    [InlineData("")]
    [InlineData("[{]")]
    [InlineData("""[{"op":"remove","op":"add","path":"/a"}]""")]
    public void A_document_that_is_not_an_array_of_operations_is_400(string body)
    {
        var error = Assert.Throws<InvalidPatchException>(() => JsonPatch.Parse(Encoding.UTF8.GetBytes(body)));

        Assert.Equal(400, error.StatusCode);
    }

    [Fact]
    public void Members_an_operation_does_not_define_are_ignored()
    {
        Assert.Equal(Json("{}"), Apply("""{"a":1}""", """[{"op":"remove","path":"/a","value":42,"comment":"RFC 6902 section 4"}]"""));
    }

    [Fact]
    public void More_operations_than_the_server_applies_at_once_are_400()
    {
        var operations = string.Join(',', Enumerable.Repeat("""{"op":"test","path":"","value":{}}""", JsonPatch.MaxOperations + 1));

        var error = Assert.Throws<InvalidPatchException>(() => JsonPatch.Parse(Encoding.UTF8.GetBytes($"[{operations}]")));

        Assert.Equal(400, error.StatusCode);
    }
}
