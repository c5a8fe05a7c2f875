namespace Acorn.Analyzers;

/// <summary>The rule identifiers, numbered in the order the rules were added.</summary>
internal static class RuleIdentifiers
{
    public const string SyncLockHeldAcrossAwait = "ACRN001";
    public const string BlockingWaitUnderLock = "ACRN002";
    public const string AsyncLockHeldAcrossAwait = "ACRN003";
    public const string InconsistentLockOrder = "ACRN004";
    public const string MustNotHoldAcrossAwait = "ACRN005";
    public const string SyncOverAsync = "ACRN006";
    public const string UndisposedGuard = "ACRN007";

    /// <summary>
    /// The rule page's address. Empty until the project has a public home: an invented address would open nothing.
    /// The pages ship in the package under <c>docs/</c> instead.
    /// </summary>
    public static string GetHelpUri(string identifier) => string.Empty;
}
