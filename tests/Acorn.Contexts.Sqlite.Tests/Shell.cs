using System.Diagnostics;

namespace Acorn.Contexts.Sqlite.Tests;

/// <summary>Runs a system command that a fault-injection test needs, failing the test with its output if it fails.</summary>
internal static class Shell
{
    public static void Run(string command, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException($"Could not start {command}.");
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{command} {string.Join(' ', arguments)}' failed with exit code {process.ExitCode}: {output.Trim()} " +
                "(these fault tests need root for chattr and mount; run them as root, as ./test.sh does in CI).");
        }
    }
}
