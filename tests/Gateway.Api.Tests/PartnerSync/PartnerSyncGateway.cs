using Gateway.Testing;

namespace Gateway.Api.Tests.PartnerSync;

/// <summary>
/// A gateway running its jobs, whose housing provider is pulled from an <see cref="ExportServer"/>
/// and whose welfare organisation has a drop folder in a temporary directory. The recurring jobs
/// are scheduled never to come round: tests trigger them.
/// </summary>
public sealed class PartnerSyncGateway : JobsGatewayApp
{
    public ExportServer Export { get; } = new();

    public string DropFolder { get; } = Directory.CreateTempSubdirectory("gateway-drop-").FullName;

    protected override TestPartners CreatePartners() => new(housingPull: Export.Url, welfareDropFolder: DropFolder);

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        .. base.Settings(),
        new("Gateway:Jobs:DropFolderSettle", "0"),
        new("Gateway:Jobs:DropFolderSchedule", TestPartners.Never),
        new("Gateway:Jobs:PendingRecordsSchedule", TestPartners.Never),
        new("Gateway:Jobs:PullTimeout", "00:00:02"),
    ];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Export.DisposeAsync();
        Directory.Delete(DropFolder, recursive: true);
    }
}
