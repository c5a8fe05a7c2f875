namespace Acorn.Analyzers.Options;

/// <summary>The <c>.editorconfig</c> keys the analyzers read.</summary>
internal static class AnalyzerOptionKeys
{
    /// <summary>More async lock types, by simple or fully qualified name, comma separated.</summary>
    public const string AsyncLockTypes = "acorn_analyzers.async_lock_types";

    /// <summary>Types that must not be held across an await (ACRN005), by fully qualified name, comma separated.</summary>
    public const string MustNotHoldTypes = "acorn_analyzers.must_not_hold_types";
}
