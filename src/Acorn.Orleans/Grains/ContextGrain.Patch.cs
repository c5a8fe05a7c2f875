using System.Text.Json;
using Acorn.Contexts;

namespace Acorn.Orleans.Grains;

public sealed partial class ContextGrain
{
    // The running state's data as a parsed element, kept for the next patch: a hot context's patches chain on the
    // element the previous one produced instead of parsing the text again.
    private ContextRecord? _parsedFor;
    private JsonElement _parsed;

    // The caller limits patches were last checked against (callers of a scope share their options).
    private ContextOptions? _callerLimits;

    private JsonElement DataOf(ContextRecord record)
    {
        if (!ReferenceEquals(_parsedFor, record))
        {
            (_parsedFor, _parsed) = (record, JsonSerializer.Deserialize<JsonElement>(record.DataJson));
        }

        return _parsed;
    }

    private ContextOptions CallerLimits(ContextPatchWrite patch)
    {
        if (_callerLimits is not { } limits || limits.MaxDataBytes != patch.MaxDataBytes || limits.MaxDataDepth != patch.MaxDataDepth)
        {
            _callerLimits = limits = new ContextOptions { MaxDataBytes = patch.MaxDataBytes, MaxDataDepth = patch.MaxDataDepth };
        }

        return limits;
    }

    /// <summary>A patch, parsed and applied here to the running state's data, checked against the caller's limits and the silo's.</summary>
    private sealed class PatchOperation(ContextPatchWrite write, long? expectedVersion) : WriteOperation(ContextChangeKind.Updated)
    {
        public override ValueTask PlanAsync(ContextGrain grain, DateTimeOffset now)
        {
            if (grain.Refuse(expectedVersion, now) is { } refused)
            {
                Refuse(refused);
                return ValueTask.CompletedTask;
            }

            var current = grain.LiveAt(now)!;
            try
            {
                var patch = ContextPatch.Parse((ContextPatchKind)write.Kind, write.Document);
                var patched = patch.ApplyTo(grain.Id, grain.DataOf(current));
                var content = new ContextContent(patched, current.Metadata);
                ContextContentRules.ThrowIfInvalid(grain.Id, content, grain.CallerLimits(write));
                ContextContentRules.ThrowIfInvalid(grain.Id, content, grain.SiloLimits);
                var next = NextVersion(current, now, patched.GetRawText(), current.Metadata, timeToLive: null);
                Write(grain, next);
                (grain._parsedFor, grain._parsed) = (next, patched);
            }
            catch (ContextPatchFailedException ex)
            {
                Refuse(new ContextWriteResult(
                    ContextWriteOutcome.PatchFailed, null, PatchFailure: new ContextPatchFailure(ex.OperationIndex, ex.Operation, ex.Path, ex.Reason)));
            }
            catch (InvalidContextPatchException ex)
            {
                Refuse(new ContextWriteResult(ContextWriteOutcome.InvalidPatch, null, Reason: ex.Reason));
            }
            catch (Exception ex) when (ex is InvalidContextDataException or ArgumentOutOfRangeException)
            {
                Refuse(new ContextWriteResult(ContextWriteOutcome.InvalidContent, null, Reason: ex is InvalidContextDataException invalid ? invalid.Reason : ex.Message));
            }

            return ValueTask.CompletedTask;
        }
    }
}
