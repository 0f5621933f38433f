using System.CommandLine;
using Gateway.Cli;

var root = new RootCommand("Interop Gateway command-line tool");
root.Subcommands.Add(TokenCommand.Create());
return await root.Parse(args).InvokeAsync();
