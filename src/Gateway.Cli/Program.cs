using Gateway.Cli;

return await GatewayCli.RunAsync(args, CliConsole.System);
