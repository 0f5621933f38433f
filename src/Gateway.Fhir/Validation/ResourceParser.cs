using System.Text.Json;
using System.Xml;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;
using Hl7.Fhir.Validation;

namespace Gateway.Fhir.Validation;

public sealed record ParseResult(Resource? Resource, IReadOnlyList<OperationOutcome.IssueComponent> Issues)
{
    public bool Succeeded => Resource is not null && !Issues.Any(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal);
}

public static class ResourceParser
{
    // Firely's deserializers recurse once per nesting level: a deep enough document overflows the stack and kills the process.
    private const int MaxDepth = 64;
    private const string EmptyBody = "The request body is empty.";

    // Strict also validates narrative XHTML against FHIR's rules, which is what keeps script and event handlers out.
    private static readonly DeserializerSettings Settings = new DeserializerSettings().UsingMode(DeserializationMode.Strict);
    private static readonly FhirJsonDeserializer JsonDeserializer = new(Settings);
    private static readonly FhirXmlDeserializer XmlDeserializer = new(Settings);
    private static readonly JsonReaderOptions JsonOptions = new() { MaxDepth = MaxDepth };
    private static readonly XmlReaderSettings XmlSettings = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };

    /// <param name="limits">What a request may hold (<see cref="ParseLimits"/>); none for the gateway's own files.</param>
    public static ParseResult ParseJson(ReadOnlySpan<byte> utf8Json, ParseLimits? limits = null)
    {
        utf8Json = WithoutBom(utf8Json);
        if (IsBlank(utf8Json))
        {
            return Failed("", EmptyBody);
        }

        if (JsonShape.Check(utf8Json, PeekResourceType(utf8Json), limits ?? ParseLimits.None, JsonOptions) is { } refused)
        {
            return new ParseResult(null, [refused]);
        }

        try
        {
            var reader = new Utf8JsonReader(utf8Json, JsonOptions);
            JsonDeserializer.TryDeserializeResource(ref reader, out var resource, out var errors);
            // Firely stops at the end of the resource; this throws if anything but whitespace follows it.
            reader.Read();
            return Complete(resource, errors, validateAgain: false);
        }
        // Malformed input surfaces as JsonException, or as InvalidOperationException and others from inside Firely.
        catch (Exception ex)
        {
            return Failed(PeekResourceType(utf8Json), ex.Message);
        }
    }

    public static ParseResult ParseXml(byte[] xml, ParseLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        if (IsBlank(WithoutBom(xml)))
        {
            return Failed("", EmptyBody);
        }

        var root = "";
        try
        {
            if (ScanXml(xml, ref root, limits ?? ParseLimits.None) is { } refused)
            {
                return new ParseResult(null, [refused]);
            }

            using var reader = XmlReader.Create(new MemoryStream(xml, writable: false), XmlSettings);
            XmlDeserializer.TryDeserializeResource(reader, out var resource, out var errors);
            return Complete(resource, errors, validateAgain: true);
        }
        catch (Exception ex)
        {
            return Failed(root, ex.Message);
        }
    }

    public static IReadOnlyList<OperationOutcome.IssueComponent> Validate(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return ToIssues(resource.Validate(), RootOf(resource));
    }

    /// <param name="validateAgain">
    /// Whether to run the SDK's POCO validation again over what the deserializer accepted. Not for
    /// JSON: its strict deserializer runs the same validator (Firely's FhirAttributeValidator,
    /// narrative as FHIR XHTML) on every element and object as it builds them, so the second pass
    /// found nothing more and cost a third of the parse. For XML it is needed: the XML deserializer
    /// lets a narrative with a script element through, and only the second pass refuses it
    /// (ParserOutcomeTests; docs/performance.md, the gateway's CPU per write, sixth pass).
    /// </param>
    private static ParseResult Complete(Resource? resource, IEnumerable<CodedException> errors, bool validateAgain)
    {
        var exceptions = errors.ToList();
        if (validateAgain && resource is not null && !exceptions.Any(IsFailure))
        {
            exceptions.AddRange(resource.Validate());
        }

        var issues = ToIssues(exceptions, RootOf(resource));
        // A partial result may hold invalid values whose typed getters throw, so callers never see it.
        return new ParseResult(issues.Any(IsFailure) ? null : resource, issues);
    }

    private static List<OperationOutcome.IssueComponent> ToIssues(IEnumerable<CodedException> exceptions, string root)
    {
        var issues = exceptions
            .Select(e => (e.ErrorCode, Issue: ToIssue(e, root)))
            .DistinctBy(x => (ExpressionOf(x.Issue), x.Issue.Diagnostics))
            .ToList();

        // Firely reports an empty object twice (as a JSON rule and as an element rule); keep the more specific one.
        var explained = issues
            .Where(x => x.ErrorCode != CodedValidationException.ELEMENT_CANNOT_BE_EMPTY_CODE)
            .Select(x => ExpressionOf(x.Issue))
            .ToHashSet();
        return issues
            .Where(x => x.ErrorCode != CodedValidationException.ELEMENT_CANNOT_BE_EMPTY_CODE || !explained.Contains(ExpressionOf(x.Issue)))
            .Select(x => x.Issue)
            .ToList();
    }

    private static OperationOutcome.IssueComponent ToIssue(CodedException exception, string root)
    {
        var extended = exception as ExtendedCodedException;
        // Firely calls the root "$this" in some places (JSON root, missing elements of the root) and uses the type name elsewhere.
        var path = extended?.InstancePath ?? "";
        var expression = path.StartsWith("$this", StringComparison.Ordinal) ? (root + path[5..]).TrimStart('.') : path;
        var message = (extended?.BaseErrorMessage ?? exception.Message).Replace("$this", root, StringComparison.Ordinal);
        return Issue(extended?.IssueSeverity ?? OperationOutcome.IssueSeverity.Error, CodeOf(exception), expression, message);
    }

    private static OperationOutcome.IssueType CodeOf(CodedException exception) => exception.ErrorCode switch
    {
        CodedValidationException.UNKNOWN_ELEMENT_CODE
            or CodedValidationException.UNKNOWN_RESOURCE_TYPE_CODE
            or CodedValidationException.WRONG_CASED_ELEMENT_CODE
            or CodedValidationException.WRONG_CASED_RESOURCE_TYPE_CODE
            or CodedValidationException.ELEMENT_CANNOT_BE_EMPTY_CODE
            or CodedValidationException.PROPERTY_TYPE_MISMATCH_CODE => OperationOutcome.IssueType.Structure,
        _ => (exception as ExtendedCodedException)?.IssueType switch
        {
            OperationOutcome.IssueType.Structure => OperationOutcome.IssueType.Structure,
            OperationOutcome.IssueType.Required => OperationOutcome.IssueType.Required,
            OperationOutcome.IssueType.Value or OperationOutcome.IssueType.CodeInvalid => OperationOutcome.IssueType.Value,
            _ => OperationOutcome.IssueType.Invalid,
        },
    };

    private static ParseResult Failed(string root, string message) =>
        new(null, [Issue(OperationOutcome.IssueSeverity.Error, OperationOutcome.IssueType.Structure, root, message)]);

    private static OperationOutcome.IssueComponent Issue(OperationOutcome.IssueSeverity severity, OperationOutcome.IssueType code, string expression, string message) => new()
    {
        Severity = severity,
        Code = code,
        Diagnostics = message,
        // FHIR strings may not be empty, so a document-level issue has no expression at all.
        Expression = expression.Length == 0 ? [] : [expression],
    };

    private static string ExpressionOf(OperationOutcome.IssueComponent issue) => issue.Expression.FirstOrDefault() ?? "";

    private static bool IsFailure(CodedException exception) =>
        exception is not ExtendedCodedException { IssueSeverity: not (OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal) };

    private static bool IsFailure(OperationOutcome.IssueComponent issue) =>
        issue.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal;

    // Firely names unparseable resources "UnnamedResource_$this"; that is no FHIRPath root.
    private static string RootOf(Resource? resource) =>
        resource?.TypeName is { } name && name.All(char.IsAsciiLetterOrDigit) ? name : "";

    // Utf8JsonReader rejects a byte order mark.
    private static ReadOnlySpan<byte> WithoutBom(ReadOnlySpan<byte> body) => body.StartsWith("\uFEFF"u8) ? body[3..] : body;

    private static bool IsBlank(ReadOnlySpan<byte> body) => body.Trim(" \t\r\n"u8).IsEmpty;

    private static string PeekResourceType(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Json, JsonOptions);
            while (reader.Read())
            {
                if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("resourceType"u8))
                {
                    return reader.Read() && reader.TokenType == JsonTokenType.String && reader.GetString() is { } name && ModelInfo.IsKnownResource(name) ? name : "";
                }
            }
        }
        catch (JsonException)
        {
            // The syntax error came before the resourceType.
        }

        return "";
    }

    // A first pass with a streaming reader, which does not recurse, so that Firely never sees malformed,
    // overly deep or overly repeated XML. XML 1.0 cannot carry a NUL character at all, so the reader refuses it.
    private static OperationOutcome.IssueComponent? ScanXml(byte[] xml, ref string root, ParseLimits limits)
    {
        using var reader = XmlReader.Create(new MemoryStream(xml, writable: false), XmlSettings);
        var path = new List<(string Name, int Repeats)>();
        var elements = 0;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            if (reader.Depth == 0 && ModelInfo.IsKnownResource(reader.LocalName))
            {
                root = reader.LocalName;
            }

            if (reader.Depth >= MaxDepth)
            {
                throw new XmlException($"Elements are nested deeper than the maximum of {MaxDepth} levels.");
            }

            // path[d] is the last element seen at depth d and how many times in a row it came.
            var repeats = path.Count > reader.Depth && path[reader.Depth].Name == reader.LocalName ? path[reader.Depth].Repeats + 1 : 1;
            path.RemoveRange(Math.Min(reader.Depth, path.Count), path.Count - Math.Min(reader.Depth, path.Count));
            path.Add((reader.LocalName, repeats));
            var exempt = reader.Depth == 1 && reader.LocalName == "entry";
            if ((repeats > limits.MaxRepeats && !exempt) || ++elements > limits.MaxElements)
            {
                var expression = string.Join('.', path.Select(p => p.Name));
                return Issue(OperationOutcome.IssueSeverity.Error, OperationOutcome.IssueType.TooLong, expression, repeats > limits.MaxRepeats
                    ? $"{expression} has more than {limits.MaxRepeats} items; this server takes at most {limits.MaxRepeats} of one repeating element."
                    : $"{expression} is beyond the {limits.MaxElements} elements this server takes in one resource.");
            }
        }

        return null;
    }
}
