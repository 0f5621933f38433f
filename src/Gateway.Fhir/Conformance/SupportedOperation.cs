namespace Gateway.Fhir.Conformance;

/// <summary>
/// Endpoint metadata naming the FHIR operation a route implements and its OperationDefinition;
/// /metadata lists these, so the CapabilityStatement names exactly the operations that are routed.
/// </summary>
/// <param name="ResourceType">The type it is defined on; null for an operation on every type ($validate).</param>
/// <param name="IsSystemLevel">Invoked on the base URL (<c>/fhir/$export</c>), listed in rest.operation rather than under a type.</param>
public sealed record SupportedOperation(string Name, string Definition, string? ResourceType = null, bool IsSystemLevel = false)
{
    public static readonly SupportedOperation Export = new("export", "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export", IsSystemLevel: true);
    public static readonly SupportedOperation GroupExport = new("export", "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export", "Group");
    public static readonly SupportedOperation Validate = new("validate", "http://hl7.org/fhir/OperationDefinition/Resource-validate");
    public static readonly SupportedOperation Translate = new("translate", "http://hl7.org/fhir/OperationDefinition/ConceptMap-translate", "ConceptMap");
    public static readonly SupportedOperation Expand = new("expand", "http://hl7.org/fhir/OperationDefinition/ValueSet-expand", "ValueSet");
    public static readonly SupportedOperation SubscriptionStatus = new("status", Subscriptions.Backport.StatusOperation, "Subscription");
    public static readonly SupportedOperation EvaluateMeasure = new("evaluate-measure", "http://hl7.org/fhir/OperationDefinition/Measure-evaluate-measure", "Measure");
    public static readonly SupportedOperation Lookup = new("lookup", "http://hl7.org/fhir/OperationDefinition/CodeSystem-lookup", "CodeSystem");
}
