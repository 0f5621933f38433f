namespace Gateway.Fhir.Partners;

/// <summary>The partners file cannot be used; the message names the file and the bad entry (e.g. <c>partners[2] (wor-kampen).clients[0].scopes</c>).</summary>
public sealed class PartnersFileException(string message) : Exception(message);
