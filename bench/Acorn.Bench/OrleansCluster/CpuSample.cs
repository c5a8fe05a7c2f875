using System.Diagnostics;
using System.Globalization;

namespace Acorn.Bench.OrleansCluster;

/// <summary>
/// CPU time of the whole machine (/proc/stat) and of this process at one moment: the difference of two samples says how
/// busy the cores were and how much of it was this process (client and silos) rather than PostgreSQL or anything else.
/// </summary>
internal readonly record struct CpuSample(long MachineBusyTicks, long MachineTotalTicks, TimeSpan ProcessCpu, long Timestamp)
{
    public static CpuSample Take()
    {
        long busy = 0, total = 0;
        if (File.Exists("/proc/stat"))
        {
            // "cpu  user nice system idle iowait irq softirq steal ...": idle and iowait are the not-busy columns.
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            total = fields.Sum();
            busy = total - fields[3] - fields[4];
        }

        using var self = Process.GetCurrentProcess();
        return new CpuSample(busy, total, self.TotalProcessorTime, Stopwatch.GetTimestamp());
    }

    /// <summary>The machine's busy share of all its cores since <paramref name="start"/> (0-1).</summary>
    public double MachineBusySince(CpuSample start) =>
        MachineTotalTicks > start.MachineTotalTicks
            ? (double)(MachineBusyTicks - start.MachineBusyTicks) / (MachineTotalTicks - start.MachineTotalTicks)
            : double.NaN;

    /// <summary>This process's share of all the machine's cores since <paramref name="start"/> (0-1).</summary>
    public double ProcessBusySince(CpuSample start) =>
        (ProcessCpu - start.ProcessCpu).TotalSeconds / Stopwatch.GetElapsedTime(start.Timestamp, Timestamp).TotalSeconds / Environment.ProcessorCount;
}
