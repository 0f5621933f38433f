using Hl7.Fhir.Model;

namespace Gateway.Fhir.Bundles;

/// <summary>
/// A transaction's or batch's answer. <see cref="Json"/> is the answer as it was kept (a Bundle
/// with an identifier, <see cref="BundleResponses"/>), serialized after its last change, so the
/// response can send those bytes rather than serialize the same Bundle a second time.
/// </summary>
public sealed record BundleAnswer(Bundle Bundle, string? Json);
