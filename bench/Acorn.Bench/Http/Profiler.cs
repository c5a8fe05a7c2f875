using System.Diagnostics;
using System.Globalization;

namespace Acorn.Bench.Http;

/// <summary>
/// <c>--profile</c>: records the measured server with Linux <c>perf</c> (call graphs, 499 Hz) during each measured run,
/// into the kept work folder. The servers then write perf maps so JIT-compiled frames have names
/// (<c>perf report -i FILE --no-children --sort symbol</c>).
/// </summary>
internal static class Profiler
{
    public static Dictionary<string, string> Environment(HttpSettings settings, Dictionary<string, string> environment)
    {
        foreach (var (key, value) in settings.ServerEnvironment)
        {
            environment[key] = value;
        }

        var profile = settings.Profile;
        if (profile)
        {
            environment["DOTNET_PerfMapEnabled"] = "1";

            // With W^X the JIT's code is double-mapped and perf cannot match it to the map.
            environment["DOTNET_EnableWriteXorExecute"] = "0";
        }

        return environment;
    }

    public static async Task Start(ChildServer server, string output, TimeSpan duration)
    {
        // Skip wrk's first second (connections opening), stop before its last.
        var seconds = Math.Max(1, (int)duration.TotalSeconds - 2);
        var start = new ProcessStartInfo("perf") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "record", "-F", "499", "-g", "-p", server.Pid.ToString(CultureInfo.InvariantCulture), "-o", output, "--", "sleep", seconds.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        using var perf = Process.Start(start) ?? throw new InvalidOperationException("perf did not start (apt-get install -y linux-perf).");
        _ = await perf.StandardOutput.ReadToEndAsync();
        var errors = await perf.StandardError.ReadToEndAsync();
        await perf.WaitForExitAsync();
        Console.WriteLine($"perf: {output} ({errors.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()})");
    }
}
