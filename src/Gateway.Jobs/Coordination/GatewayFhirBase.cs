using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Gateway.Jobs.Coordination;

/// <summary>
/// The gateway's FHIR base as partners reach it, for the absolute references (basedOn, partOf)
/// of what it creates at their servers: <c>Gateway:Jobs:FhirBaseUrl</c>, else the first address
/// this process listens on.
/// </summary>
public sealed class GatewayFhirBase(JobsOptions options, IServer server)
{
    public string Url =>
        options.FhirBaseUrl?.TrimEnd('/')
        ?? (server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() is { } address
            ? address.TrimEnd('/') + "/fhir"
            : throw new InvalidOperationException($"Set {JobsOptions.Section}:FhirBaseUrl: this process serves no address the gateway's FHIR base could be told from."));
}
