namespace Acorn.Analyzers;

/// <summary>Keys and values of the properties the analyzers attach to diagnostics for the code fixes.</summary>
internal static class DiagnosticProperties
{
    /// <summary>Which blocking call ACRN002 or ACRN006 found, when it can become an await: one of the *Await values.</summary>
    public const string AwaitFix = "AcornAwaitFix";

    public const string ResultToAwait = "Result";
    public const string WaitToAwait = "Wait";
    public const string GetResultToAwait = "GetResult";
    public const string SleepToDelay = "Sleep";
    public const string WaitAllToWhenAll = "WaitAll";
}
