namespace Gateway.Fhir.Bundles;

/// <summary><c>Prefer: return=...</c> (FHIR R4 http.html#ops), applied to each written entry of a bundle's response.</summary>
public enum ReturnPreference
{
    Representation,
    Minimal,
    OperationOutcome,
}
