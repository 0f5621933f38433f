using System.Text.Json;
using Gateway.Api.Smart;
using Gateway.Fhir.Access;
using Gateway.Fhir.Search;
using Gateway.Fhir.Serialization;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;

namespace Gateway.Api.Fhir;

/// <summary>
/// A searchset response. In compact JSON without <c>_summary</c> or <c>_elements</c> each stored
/// match goes out as the JSON the store holds (<see cref="StoredJson"/>). Any other format or
/// filter goes through <see cref="FhirResult"/> and Firely's serializers.
/// </summary>
public sealed class SearchsetResult(Bundle shell, IReadOnlyList<SearchsetEntry> entries, Func<SerializationFilter>? filter) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var format = FhirResult.Format(httpContext);
        if (format.IsXml || format.Pretty || filter is not null)
        {
            shell.Entry.AddRange(entries.Select(e => e.ToComponent()));
            await FhirResult.Of(shell).WithFilter(filter).ExecuteAsync(httpContext);
            return;
        }

        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = format.MediaType + "; charset=utf-8";
        using (var writer = new Utf8JsonWriter(response.BodyWriter, StoredJson.WriterOptions))
        {
            Write(writer, httpContext.Caller());
        }

        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }

    private void Write(Utf8JsonWriter writer, CallingPartner? caller)
    {
        using var bundle = JsonDocument.Parse(FhirSerialization.ToJson(shell));
        writer.WriteStartObject();
        foreach (var property in bundle.RootElement.EnumerateObject())
        {
            property.WriteTo(writer);
        }

        if (entries.Count > 0)
        {
            writer.WriteStartArray("entry");
            foreach (var entry in entries)
            {
                writer.WriteStartObject();
                if (entry.FullUrl is { } fullUrl)
                {
                    writer.WriteString("fullUrl", fullUrl);
                }

                writer.WritePropertyName("resource");
                WriteResource(writer, entry, caller);
                writer.WriteStartObject("search");
                writer.WriteString("mode", entry.Mode.GetLiteral());
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    // Every resource a partner receives passes data minimisation; only what it may change is parsed.
    private static void WriteResource(Utf8JsonWriter writer, SearchsetEntry entry, CallingPartner? caller)
    {
        switch (entry)
        {
            case { Stored: { Utf8Json: { } utf8 } stored } when !DataMinimisation.MayChange(stored, caller):
                StoredJson.Write(writer, utf8);
                break;
            case { Stored: { Resource: { } resource } }:
                writer.WriteRawValue(FhirSerialization.ToJson(DataMinimisation.ForPartner(resource, caller)), skipInputValidation: true);
                break;
            case { Outcome: { } outcome }:
                writer.WriteRawValue(FhirSerialization.ToJson(outcome), skipInputValidation: true);
                break;
            default:
                throw new InvalidOperationException($"A searchset entry ({entry.FullUrl}) has no resource.");
        }
    }
}
