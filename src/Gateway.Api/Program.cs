using Gateway.Api.Hosting;

var app = GatewayHost.Build(args);
await app.RunAsync();

/// <summary>The gateway's entry point; GatewayHost builds the application.</summary>
public partial class Program;
