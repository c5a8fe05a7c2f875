namespace Acorn.Analyzers;

/// <summary>Diagnostic categories used by the Acorn rules.</summary>
internal static class RuleCategories
{
    public const string Concurrency = "Concurrency";
}
