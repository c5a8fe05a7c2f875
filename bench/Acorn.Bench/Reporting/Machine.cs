using System.Runtime.InteropServices;

namespace Acorn.Bench.Reporting;

/// <summary>What every report states about the machine it was measured on.</summary>
internal static class Machine
{
    public static string CpuModel()
    {
        const string cpuinfo = "/proc/cpuinfo";
        try
        {
            var line = File.Exists(cpuinfo) ? File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) : null;
            return line?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }

    /// <summary>Cores, CPU model, OS, runtime and the load average when the run started (a busy machine skews every figure).</summary>
    public static string Describe() =>
        $"{Environment.ProcessorCount} cores, {CpuModel()}, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, " +
        $"load average at start {LoadAverage()}";

    /// <summary>The 1, 5 and 15-minute load averages, as /proc/loadavg gives them.</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
