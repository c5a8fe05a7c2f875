namespace Acorn.Analyzers;

/// <summary>The rule identifiers, numbered in the order the rules were added.</summary>
internal static class RuleIdentifiers
{
    public const string SyncLockHeldAcrossAwait = "ACRN001";
    public const string BlockingWaitUnderLock = "ACRN002";
    public const string AsyncLockHeldAcrossAwait = "ACRN003";
    public const string InconsistentLockOrder = "ACRN004";
    public const string MustNotHoldAcrossAwait = "ACRN005";

    public static string GetHelpUri(string identifier)
        => "https://github.com/acorn-dotnet/acorn/blob/main/docs/analyzers/" + identifier + ".md";
}
