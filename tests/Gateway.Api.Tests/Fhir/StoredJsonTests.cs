using System.Buffers;
using System.Text;
using Gateway.Api.Fhir;

namespace Gateway.Api.Tests.Fhir;

/// <summary>What goes out for a stored body: as written, or, for a body from the jsonb days (before migration 0009), compact with resourceType first.</summary>
public sealed class StoredJsonTests
{
    [Fact]
    public void A_body_as_the_gateway_wrote_it_goes_out_unchanged()
    {
        const string written = """{"resourceType":"Patient","id":"p1","name":[{"family":"Müller"}]}""";

        Assert.Equal(written, Write(written));
    }

    [Fact]
    public void A_body_in_jsonb_order_goes_out_compact_with_resource_type_first()
    {
        const string jsonb = """{"id": "p1", "name": [{"family": "Müller & Zn"}], "resourceType": "Patient"}""";

        Assert.Equal("""{"resourceType":"Patient","id":"p1","name":[{"family":"Müller & Zn"}]}""", Write(jsonb));
    }

    private static string Write(string json)
    {
        var output = new ArrayBufferWriter<byte>();
        StoredJson.Write(output, json);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
