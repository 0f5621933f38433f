using System.Globalization;
using Gateway.Fhir.Errors;
using Hl7.Fhir.Model;

namespace Gateway.Api.Fhir;

/// <summary>
/// An operation's input parameters (FHIR R4 operations.html#request): from the URL, and for a POST
/// from a Parameters body too; the URL wins where both give one.
/// </summary>
public sealed class OperationParameters
{
    private readonly IQueryCollection _query;
    private readonly Parameters? _body;

    private OperationParameters(IQueryCollection query, Parameters? body)
    {
        _query = query;
        _body = body;
    }

    public static async Task<OperationParameters> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var hasBody = HttpMethods.IsPost(request.Method) && (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0);
        var body = hasBody ? (Parameters)await FhirRequestBody.ReadAsync(request, "Parameters", ct) : null;
        return new OperationParameters(request.Query, body);
    }

    public static OperationParameters From(IQueryCollection query, Parameters? body) => new(query, body);

    public string? Value(string name)
    {
        var fromQuery = _query[name].ToString();
        if (fromQuery.Length > 0)
        {
            return fromQuery;
        }

        return (_body?.Parameter.FirstOrDefault(p => p.Name == name)?.Value as PrimitiveType)?.JsonValue switch
        {
            null => null,
            bool flag => flag ? "true" : "false",
            var value => Convert.ToString(value, CultureInfo.InvariantCulture),
        };
    }

    public Resource? Resource(string name) => _body?.Parameter.FirstOrDefault(p => p.Name == name)?.Resource;

    public Coding? Coding(string name) => _body?.Parameter.FirstOrDefault(p => p.Name == name)?.Value as Coding;

    /// <summary>A whole number parameter such as <c>count</c>; 400 naming it when it is not one.</summary>
    public int? Number(string name) => Value(name) switch
    {
        null => null,
        var text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) => number,
        var text => throw Invalid($"'{text}' is not a whole number.", name),
    };

    public static FhirException Invalid(string diagnostics, string parameter) =>
        new(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, $"Parameter {parameter}: {diagnostics}", parameter);
}
