using System.Diagnostics;

namespace Acorn.Bench.Reporting;

/// <summary>Runs this benchmark executable again as a child process: a fresh runtime (cold thread pool, its own JIT and GC state).</summary>
internal static class SelfProcess
{
    /// <summary>Start info for this executable with <paramref name="args"/>, output redirected; through <c>dotnet</c> when this is a dll.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var self = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(SelfProcess).Assembly.Location);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }
}
