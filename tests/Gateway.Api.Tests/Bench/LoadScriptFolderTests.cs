using System.Diagnostics;
using Gateway.Testing;

namespace Gateway.Api.Tests.Bench;

/// <summary>
/// Issue 21, item 5: bench/load.sh's folders (bench/load-folders.sh). It deletes only what it
/// created, never a FOLDER that was there or its parent (FOLDER=$HOME/pg once meant rm -rf $HOME),
/// and its own folder is one the cluster's postgres user can enter.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LoadScriptFolderTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("load-script-home-").FullName;

    public LoadScriptFolderTests()
    {
        // As a home folder others may enter; the 0700 case is its own test.
        File.SetUnixFileMode(_home, (UnixFileMode)0b111_101_101);
    }

    [Fact]
    public async Task A_folder_the_script_made_is_removed_and_nothing_above_it()
    {
        File.WriteAllText(Path.Combine(_home, "keep.txt"), "mine");

        var (exit, output) = await RunAsync($"FOLDER={_home}/pg; prepare_folders; echo \"$WORK\"; test -d \"$FOLDER\"; remove_folders");

        Assert.True(exit == 0, output);
        Assert.True(File.Exists(Path.Combine(_home, "keep.txt")), "The folder above FOLDER was deleted.");
        Assert.False(Directory.Exists(Path.Combine(_home, "pg")));
        Assert.False(Directory.Exists(output.Trim()), "The script's work folder is left behind.");
    }

    [Fact]
    public async Task A_folder_that_was_there_before_is_left_as_it_was()
    {
        var existing = Directory.CreateDirectory(Path.Combine(_home, "cluster")).FullName;
        File.WriteAllText(Path.Combine(existing, "data.txt"), "a cluster");

        var (exit, output) = await RunAsync($"FOLDER={existing}; prepare_folders; remove_folders");

        Assert.True(exit == 0, output);
        Assert.True(File.Exists(Path.Combine(existing, "data.txt")));
    }

    [Fact]
    public async Task Without_folder_the_cluster_goes_in_a_new_folder_every_user_can_enter()
    {
        var (exit, output) = await RunAsync("unset FOLDER; prepare_folders; echo \"$FOLDER\"; stat -c %a \"$WORK\"; remove_folders");

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(exit == 0, output);
        Assert.StartsWith("/tmp/gateway-load.", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("/postgres", lines[0], StringComparison.Ordinal);
        Assert.Equal("755", lines[1]);
        Assert.False(Directory.Exists(Path.GetDirectoryName(lines[0])));
    }

    [Fact]
    public async Task As_root_a_folder_the_postgres_user_cannot_reach_is_refused_before_anything_runs_and_nothing_is_deleted()
    {
        File.SetUnixFileMode(_home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(_home, "keep.txt"), "mine");

        var (exit, output) = await RunAsync($"FOLDER={_home}/pg; prepare_folders");

        if (Environment.UserName != "root")
        {
            // Not root: the cluster runs as this user, who can reach its own folder.
            Assert.True(exit == 0, output);
            return;
        }

        Assert.Equal(1, exit);
        Assert.Contains($"the 'postgres' user (the script runs as root), and that user cannot reach {_home}", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_home, "keep.txt")));
        Assert.False(Directory.Exists(Path.Combine(_home, "pg")));
    }

    private static async Task<(int Exit, string Output)> RunAsync(string script)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = Repository.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-euo");
        start.ArgumentList.Add("pipefail");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("source bench/load-folders.sh; " + script);
        using var bash = Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEndAsync();
        var errors = bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();
        return (bash.ExitCode, await output + await errors);
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);
}
