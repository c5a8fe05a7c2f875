using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Acorn.Threading.Internal;

/// <summary>The instruments of the <c>Acorn.Threading</c> meter, shared by every lock of the assembly.</summary>
internal static class LockMetrics
{
    internal const string MeterName = "Acorn.Threading";
    internal const string KindTag = "acorn.lock.kind";
    internal const string ModeTag = "acorn.lock.mode";
    internal const string NameTag = "acorn.lock.name";
    internal const string Exclusive = "exclusive";
    internal const string Shared = "shared";

    internal static readonly Meter Meter = new(MeterName, typeof(LockMetrics).Assembly.GetName().Version?.ToString());

    internal static readonly Histogram<double> WaitDuration = Meter.CreateHistogram<double>(
        "acorn.lock.wait.duration", "s", "Time from asking for a lock to holding it; zero when it was free.");

    internal static readonly Histogram<double> HoldDuration = Meter.CreateHistogram<double>(
        "acorn.lock.hold.duration", "s", "Time a lock was held, from acquisition to release.");

    internal static readonly UpDownCounter<long> Waiters = Meter.CreateUpDownCounter<long>(
        "acorn.lock.waiters", "{waiter}", "Callers currently queued for a lock.");

    internal static TagList Tags(string kind, string mode, string? name)
    {
        var tags = new TagList { { KindTag, kind }, { ModeTag, mode } };
        if (name is not null)
        {
            tags.Add(NameTag, name);
        }

        return tags;
    }
}
