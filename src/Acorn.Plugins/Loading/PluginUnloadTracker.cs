using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace Acorn.Plugins.Loading;

/// <summary>Watches an unloaded plugin's load context through a weak reference until the runtime has collected it.</summary>
/// <remarks>
/// A context is collected only when nothing references its types or objects any more. A plugin that left a
/// delegate in a host event, a thread running, or an object in a host static keeps it alive; then
/// <see cref="WaitForCollectionAsync"/> returns <see langword="false"/> and the caller must report the leak.
/// </remarks>
public sealed class PluginUnloadTracker
{
    private readonly WeakReference _context;

    internal PluginUnloadTracker(string pluginId, WeakReference context)
    {
        PluginId = pluginId;
        _context = context;
    }

    /// <summary>The plugin whose context is watched.</summary>
    public string PluginId { get; }

    /// <summary>Whether the context has been collected.</summary>
    public bool IsCollected => !_context.IsAlive;

    /// <summary>The context while it is still alive, to find out what holds it; callers must not keep it.</summary>
    internal AssemblyLoadContext? LiveContext => _context.Target as AssemblyLoadContext;

    /// <summary>Runs up to <paramref name="maxGcCycles"/> full garbage collections, yielding between them, until the context is collected.</summary>
    /// <param name="maxGcCycles">How many collections to try; unloading usually needs two or three.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns><see langword="true"/> if the context was collected; <see langword="false"/> if something still holds it.</returns>
    public async Task<bool> WaitForCollectionAsync(int maxGcCycles, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxGcCycles);
        for (var cycle = 0; cycle < maxGcCycles && _context.IsAlive; cycle++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Collect();

            // Unloading finishes on the finalizer thread and may take more than one collection; give it a moment.
            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken).ConfigureAwait(false);
        }

        return !_context.IsAlive;
    }

    /// <summary>One cycle: a full blocking collection, the finalizers it queued (unloading finishes there), and another collection.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
