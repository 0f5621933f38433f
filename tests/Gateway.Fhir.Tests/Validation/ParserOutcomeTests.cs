using System.Text;
using Gateway.Fhir.Validation;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Tests.Validation;

/// <summary>
/// What the request-body parser answers to hostile bodies. The parser once ran Firely's POCO
/// validation twice: inside the strict deserializer and again with <c>resource.Validate()</c> on
/// what it accepted. ParserOutcomes.txt holds every answer below as the parser gave it with both
/// passes (commit 967c199). The second pass is dropped for JSON, whose answers all stay the same
/// and where nothing the strict pass accepts has anything left for a second pass to report. It is
/// kept for XML: without it "xml script in the narrative" was accepted.
/// </summary>
public sealed class ParserOutcomeTests
{
    private const string Div = "http://www.w3.org/1999/xhtml";

    // A short name, and the body: JSON, or XML when it starts with '<'.
    private static readonly (string Name, string Body)[] Bodies =
    [
        ("unknown element", """{"resourceType":"Patient","name":[{"family":"Okafor","foo":1}]}"""),
        ("invalid date", """{"resourceType":"Patient","birthDate":"1951-13-45"}"""),
        ("invalid code", """{"resourceType":"Patient","gender":"sometimes"}"""),
        ("code with a leading space", """{"resourceType":"Patient","gender":" male"}"""),
        ("boolean as a string", """{"resourceType":"Patient","active":"yes"}"""),
        ("integer out of range", """{"resourceType":"Patient","multipleBirthInteger":99999999999}"""),
        ("decimal as a string", """{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":"abc"}}"""),
        ("Task without status and intent", """{"resourceType":"Task"}"""),
        ("Task without intent", """{"resourceType":"Task","status":"requested"}"""),
        ("ServiceRequest without status, intent, subject", """{"resourceType":"ServiceRequest"}"""),
        ("Consent without scope", """{"resourceType":"Consent","status":"active","category":[{"text":"x"}]}"""),
        ("repeating element as an object", """{"resourceType":"Patient","name":{"family":"Okafor"}}"""),
        ("single element as an array", """{"resourceType":"Patient","gender":["male"]}"""),
        ("empty object in an array", """{"resourceType":"Patient","name":[{}]}"""),
        ("empty string", """{"resourceType":"Patient","name":[{"family":""}]}"""),
        ("null in an array", """{"resourceType":"Patient","name":[{"given":[null]}]}"""),
        ("null and its extension", """{"resourceType":"Patient","name":[{"given":["A",null],"_given":[null,{"extension":[{"url":"http://x","valueString":"y"}]}]}]}"""),
        ("invalid id", """{"resourceType":"Patient","id":"a b"}"""),
        ("uri with a space", """{"resourceType":"Patient","identifier":[{"system":"http://a b","value":"1"}]}"""),
        ("identifier use not in its value set", """{"resourceType":"Patient","identifier":[{"use":"primary","value":"1"}]}"""),
        ("instant without a time zone", """{"resourceType":"Patient","meta":{"lastUpdated":"2020-01-01T00:00:00"}}"""),
        ("extension without url", """{"resourceType":"Patient","extension":[{"valueString":"x"}]}"""),
        ("extension with two values", """{"resourceType":"Patient","extension":[{"url":"http://x","valueString":"x","valueBoolean":true}]}"""),
        ("choice element twice", """{"resourceType":"Patient","deceasedBoolean":true,"deceasedDateTime":"2020-01-01"}"""),
        ("property twice", """{"resourceType":"Patient","gender":"male","gender":"female"}"""),
        ("unknown resource type", """{"resourceType":"Foo"}"""),
        ("resource type in lower case", """{"resourceType":"patient"}"""),
        ("script in the narrative", $$$$"""{"resourceType":"Patient","text":{"status":"generated","div":"<div xmlns=\"{{{{Div}}}}\"><script>alert(1)</script></div>"}}"""),
        ("event handler in the narrative", $$$$"""{"resourceType":"Patient","text":{"status":"generated","div":"<div xmlns=\"{{{{Div}}}}\"><p onclick=\"x()\">a</p></div>"}}"""),
        ("narrative without its namespace", """{"resourceType":"Patient","text":{"status":"generated","div":"<div>a</div>"}}"""),
        ("narrative without status", $$$$"""{"resourceType":"Patient","text":{"div":"<div xmlns=\"{{{{Div}}}}\">a</div>"}}"""),
        ("contained resource with an unknown element", """{"resourceType":"Patient","contained":[{"resourceType":"Organization","id":"o","foo":1}]}"""),
        ("contained Task without status", """{"resourceType":"Patient","contained":[{"resourceType":"Task","id":"t","intent":"order"}]}"""),
        ("bundle without type", """{"resourceType":"Bundle"}"""),
        ("bundle of an unknown type", """{"resourceType":"Bundle","type":"pile"}"""),
        ("bundle entry request without method", """{"resourceType":"Bundle","type":"transaction","entry":[{"request":{"url":"Patient"},"resource":{"resourceType":"Patient"}}]}"""),
        ("bundle entry with an unknown element", """{"resourceType":"Bundle","type":"transaction","entry":[{"request":{"method":"POST","url":"Patient"},"resource":{"resourceType":"Patient","foo":1}}]}"""),
        ("bundle entry with an invalid date", """{"resourceType":"Bundle","type":"transaction","entry":[{"request":{"method":"POST","url":"Patient"},"resource":{"resourceType":"Patient","birthDate":"2020-02-30"}}]}"""),
        ("bundle entry Task without status", """{"resourceType":"Bundle","type":"transaction","entry":[{"request":{"method":"POST","url":"Task"},"resource":{"resourceType":"Task","intent":"order"}}]}"""),
        ("bundle entry with script in its narrative", $$$$"""{"resourceType":"Bundle","type":"transaction","entry":[{"request":{"method":"POST","url":"Patient"},"resource":{"resourceType":"Patient","text":{"status":"generated","div":"<div xmlns=\"{{{{Div}}}}\"><script>x</script></div>"}}}]}"""),
        ("bundle in a bundle with an invalid code", """{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","gender":"x"}}]}}]}"""),
        ("bundle entry without resource type", """{"resourceType":"Bundle","type":"transaction","entry":[{"request":{"method":"POST","url":"Patient"},"resource":{"name":[{"family":"x"}]}}]}"""),
        ("valid Patient", """{"resourceType":"Patient","id":"p1","active":true,"name":[{"family":"Okafor","given":["Ada"]}],"gender":"female","birthDate":"1951-03-04"}"""),
        ("valid Patient with a value only in an extension", """{"resourceType":"Patient","_birthDate":{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/data-absent-reason","valueCode":"unknown"}]}}"""),
        ("valid Patient with a narrative", $$$$"""{"resourceType":"Patient","text":{"status":"generated","div":"<div xmlns=\"{{{{Div}}}}\"><p>Ada <b>Okafor</b></p></div>"}}"""),
        ("valid transaction", """{"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":"urn:uuid:2b4c5c0e-0f5e-4a1e-9a57-3f1b9f2b1c11","request":{"method":"POST","url":"Patient"},"resource":{"resourceType":"Patient","gender":"male"}},{"request":{"method":"POST","url":"Task"},"resource":{"resourceType":"Task","status":"requested","intent":"order","for":{"reference":"urn:uuid:2b4c5c0e-0f5e-4a1e-9a57-3f1b9f2b1c11"}}}]}"""),
        ("xml unknown element", $"""<Patient xmlns="http://hl7.org/fhir"><foo value="1"/></Patient>"""),
        ("xml invalid date", $"""<Patient xmlns="http://hl7.org/fhir"><birthDate value="1951-13-45"/></Patient>"""),
        ("xml Task without status", $"""<Task xmlns="http://hl7.org/fhir"><intent value="order"/></Task>"""),
        ("xml script in the narrative", $"""<Patient xmlns="http://hl7.org/fhir"><text><status value="generated"/><div xmlns="{Div}"><script>x</script></div></text></Patient>"""),
        ("xml elements out of order", $"""<Patient xmlns="http://hl7.org/fhir"><gender value="male"/><active value="true"/></Patient>"""),
        ("xml bundle entry with an invalid code", $"""<Bundle xmlns="http://hl7.org/fhir"><type value="transaction"/><entry><resource><Patient><gender value="x"/></Patient></resource><request><method value="POST"/><url value="Patient"/></request></entry></Bundle>"""),
        ("xml valid Patient", $"""<Patient xmlns="http://hl7.org/fhir"><active value="true"/><gender value="male"/></Patient>"""),
    ];

    private static string SnapshotPath => Path.Combine(Repository(), "tests", "Gateway.Fhir.Tests", "Validation", "ParserOutcomes.txt");

    [Fact]
    public void Each_hostile_body_gets_the_answer_it_got_when_the_parser_validated_twice()
    {
        var expected = Sections(File.ReadAllText(SnapshotPath));

        Assert.Equal(Bodies.Select(b => b.Name), expected.Keys);
        Assert.All(Bodies, b => Assert.Equal(expected[b.Name], Describe(Parse(b.Body))));
    }

    [Fact]
    public void What_the_strict_parse_accepts_leaves_nothing_for_a_second_validation()
    {
        var accepted = Bodies.Select(b => (b.Name, Parse(b.Body)))
            .Concat(Guide.ExampleFiles.Select(f => (Path.GetFileName(f), ResourceParser.ParseJson(File.ReadAllBytes(f)))))
            .Concat(SampleBundles().Select(f => (Path.GetFileName(f), ResourceParser.ParseJson(File.ReadAllBytes(f)))))
            .Where(p => p.Item2.Succeeded)
            .ToList();

        Assert.True(accepted.Count >= 15, $"only {accepted.Count} bodies were accepted");
        Assert.All(accepted, p => Assert.True(ResourceParser.Validate(p.Item2.Resource!).Count == 0,
            $"{p.Item1}: " + string.Join("; ", ResourceParser.Validate(p.Item2.Resource!).Select(i => i.Diagnostics))));
    }

    private static ParseResult Parse(string body) => body.StartsWith('<')
        ? ResourceParser.ParseXml(Encoding.UTF8.GetBytes(body))
        : ResourceParser.ParseJson(Encoding.UTF8.GetBytes(body));

    private static string Describe(ParseResult result)
    {
        var text = new StringBuilder(result.Succeeded ? $"accepted {result.Resource!.TypeName}\n" : "refused\n");
        foreach (var issue in result.Issues)
        {
            text.Append($"{issue.Severity} | {issue.Code} | {string.Join(", ", issue.Expression)} | {issue.Diagnostics}\n");
        }

        return text.ToString();
    }

    private static Dictionary<string, string> Sections(string snapshot) => snapshot.Replace("\r\n", "\n", StringComparison.Ordinal)
        .Split("## ", StringSplitOptions.RemoveEmptyEntries)
        .Select(s => s.Split('\n', 2))
        .ToDictionary(s => s[0], s => s[1]);

    private static IEnumerable<string> SampleBundles() =>
        Directory.EnumerateFiles(Path.Combine(Repository(), "src", "Gateway.Api", "Demo", "Seed"), "*.json").Order(StringComparer.Ordinal);

    private static string Repository()
    {
        var folder = AppContext.BaseDirectory;
        while (!Directory.Exists(Path.Combine(folder, "src", "Gateway.Api")))
        {
            folder = Path.GetDirectoryName(folder) ?? throw new InvalidOperationException("No repository above the test folder.");
        }

        return folder;
    }
}
