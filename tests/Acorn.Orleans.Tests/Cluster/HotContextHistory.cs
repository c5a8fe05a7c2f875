using System.Collections.Concurrent;
using System.Text.Json;
using Acorn.Contexts;
using Acorn.Contexts.Testing.Linearizability;

namespace Acorn.Orleans.Tests.Cluster;

/// <summary>
/// Many clients on one hot context: reads, compare-and-sets, blind writes, patches (merge and JSON Patch) and
/// read-modify-writes, recorded for <see cref="HistoryChecker"/>, with the patches remembered by the tag they write.
/// </summary>
/// <remarks>
/// A patch is recorded as <see cref="HistoryOperation.ReadModifyWrite"/> (the grain reads, changes and writes), so the
/// checker treats it as a write; <see cref="PatchViolations"/> adds what only a patch promises: its version's data is
/// the patch applied to the data of the version before it.
/// </remarks>
/// <param name="contexts">The cluster's context operations.</param>
/// <param name="id">The hot context.</param>
internal sealed class HotContextHistory(ContextGrainClient contexts, string id)
{
    private readonly ConcurrentDictionary<string, ContextPatch> _patches = new(StringComparer.Ordinal);

    public OperationHistory History { get; } = new();

    public Task CreateAsync(CancellationToken cancellationToken) =>
        History.RecordAsync(id, HistoryOperation.Create, null, () => contexts.CreateAsync(id, Blind("create"), cancellationToken));

    /// <summary>Runs one client's operations, each picked by the client's own seeded random.</summary>
    public async Task RunClientAsync(int client, int operations, CancellationToken cancellationToken)
    {
        var random = new Random(client);
        var lastSeen = 1L;
        for (var i = 0; i < operations; i++)
        {
            var tag = $"{client}:{i}";
            var roll = random.Next(20);
            var kind = roll switch
            {
                < 5 => HistoryOperation.Read,
                < 10 => HistoryOperation.CompareAndSet,
                < 13 => HistoryOperation.BlindWrite,
                _ => HistoryOperation.ReadModifyWrite,
            };
            var expected = kind == HistoryOperation.CompareAndSet ? lastSeen : (long?)null;
            Func<Task<ContextState>> call = roll switch
            {
                < 5 => () => contexts.GetAsync(id, cancellationToken),
                < 13 => () => contexts.UpdateAsync(id, Blind(tag), expected, cancellationToken),
                < 16 => () => contexts.PatchAsync(id, Remember(tag, MergePatch(tag, client, i)), cancellationToken: cancellationToken),
                < 19 => () => contexts.PatchAsync(id, Remember(tag, JsonPatch(tag)), cancellationToken: cancellationToken),
                _ => () => contexts.UpdateAsync(id, s => Computed(tag, s), cancellationToken),
            };
            try
            {
                lastSeen = (await History.RecordAsync(id, kind, expected, call)).Version;
            }
            catch (ContextVersionConflictException conflict)
            {
                lastSeen = conflict.ActualVersion;
            }
        }
    }

    /// <summary>
    /// Once every client has finished, reads the context and writes it with a compare-and-set on the version it read:
    /// nothing races that one, so the history holds a written compare-and-set however the clients fared (with 32
    /// clients on one context all of theirs can lose: 327 of 327 in one run).
    /// </summary>
    public async Task CompareAndSetUncontendedAsync(CancellationToken cancellationToken)
    {
        var read = await History.RecordAsync(id, HistoryOperation.Read, null, () => contexts.GetAsync(id, cancellationToken));
        await History.RecordAsync(
            id, HistoryOperation.CompareAndSet, read.Version, () => contexts.UpdateAsync(id, Blind("uncontended"), read.Version, cancellationToken));
    }

    /// <summary>Every acknowledged patch's data is its patch applied to the data written at the version before it.</summary>
    public IReadOnlyList<string> PatchViolations()
    {
        var written = History.Entries.Where(e => e.Wrote).ToDictionary(e => e.Version);
        var violations = new List<string>();
        foreach (var entry in written.Values)
        {
            var tag = entry.Data!.Value.GetProperty("tag").GetString()!;
            if (!_patches.TryGetValue(tag, out var patch) || !written.TryGetValue(entry.Version - 1, out var before))
            {
                continue;
            }

            var expected = patch.ApplyTo(id, before.Data!.Value);
            if (!JsonElement.DeepEquals(expected, entry.Data.Value))
            {
                violations.Add($"patch {tag} wrote {entry.Data.Value.GetRawText()} at v{entry.Version}, but applied to v{before.Version} it gives {expected.GetRawText()}");
            }
        }

        return violations;
    }

    /// <summary>The acknowledged read-modify-writes computed by a function (their data says which version they read).</summary>
    public IEnumerable<HistoryEntry> ComputedWrites() => History.Entries.Where(e =>
        e.Wrote && e.Operation == HistoryOperation.ReadModifyWrite && !_patches.ContainsKey(e.Data!.Value.GetProperty("tag").GetString()!));

    /// <summary>How many acknowledged writes were patches.</summary>
    public int PatchesWritten => History.Entries.Count(e => e.Wrote && _patches.ContainsKey(e.Data!.Value.GetProperty("tag").GetString()!));

    private ContextPatch Remember(string tag, ContextPatch patch) => _patches[tag] = patch;

    private static ContextContent Blind(string tag) => new(JsonSerializer.SerializeToElement(new { tag, log = Array.Empty<string>() }));

    private static ContextContent Computed(string tag, ContextState state) =>
        new(JsonSerializer.SerializeToElement(new { tag, after = state.Version, log = Array.Empty<string>() }));

    private static ContextPatch MergePatch(string tag, int client, int i) =>
        ContextPatch.Parse(ContextPatchKind.MergePatch, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["tag"] = tag,
            ["clients"] = new Dictionary<string, int> { [$"c{client}"] = i },
        }));

    private static ContextPatch JsonPatch(string tag) => ContextPatch.Parse(
        ContextPatchKind.JsonPatch,
        $$"""[{"op":"add","path":"/log/-","value":"{{tag}}"},{"op":"replace","path":"/tag","value":"{{tag}}"}]""");
}
