namespace Gateway.Fhir.Storage;

/// <summary>The embedded PostgreSQL cluster could not be created or started; the message says why and what to do.</summary>
public sealed class EmbeddedPostgresException(string message) : Exception(message);
