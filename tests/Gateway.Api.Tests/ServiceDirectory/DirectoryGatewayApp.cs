using Gateway.Testing;

namespace Gateway.Api.Tests.ServiceDirectory;

/// <summary>
/// A gateway whose routing chooses from the directory: befriending in Willenhall (WV12) and music
/// in Aldridge (WS9), by category among the services there with capacity, before the postcode rules.
/// </summary>
public sealed class DirectoryGatewayApp : GatewayApp
{
    public const string BefriendingArea = "WV12";
    public const string MusicArea = "WS9";

    protected override TestPartners CreatePartners() => new(routing:
    [
        new { when = new { postcodePrefixes = new[] { BefriendingArea } }, serviceCategory = "befriending" },
        new { when = new { postcodePrefixes = new[] { MusicArea } }, serviceCategory = "music" },
    ]);
}
