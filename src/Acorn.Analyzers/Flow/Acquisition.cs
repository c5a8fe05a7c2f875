using Acorn.Analyzers.Flow.Summaries;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Acorn.Analyzers.Flow;

/// <summary>One place that acquires a lock; a fact of the may-hold analysis (compared by reference).</summary>
internal sealed class Acquisition
{
    public Acquisition(LockCall call, Location location, string lockKey, string? guardKey, string? conditionKey, string? orderKey, TextSpan? scope = null, string? displayName = null)
    {
        Scope = scope;
        Call = call;
        Location = location;
        LockKey = lockKey;
        GuardKey = guardKey;
        ConditionKey = conditionKey;
        OrderKey = orderKey;
        DisplayName = Shorten(displayName ?? call.Lock?.Syntax.ToString() ?? "lock");
    }

    public LockCall Call { get; }

    /// <summary>Where the lock is taken: the reported location of ACRN003, ACRN004 and ACRN007, an additional one of ACRN001.</summary>
    public Location Location { get; }

    /// <summary>Identity of the lock, matched against releases by the lock itself.</summary>
    public string LockKey { get; }

    /// <summary>Identity of the guard variable whose disposal releases the lock, if the acquisition returns one.</summary>
    public string? GuardKey { get; }

    /// <summary>Identity of the boolean that says whether a Try* acquisition succeeded, if it is kept in a variable.</summary>
    public string? ConditionKey { get; }

    /// <summary>The operation that acquires: a call, an await, an object creation.</summary>
    public IOperation? Site { get; init; }

    /// <summary>The operation whose <see langword="false"/> value says the acquisition failed, if it can fail.</summary>
    public IOperation? ConditionOperation { get; init; }

    /// <summary>Compilation-wide identity of a lock held in a field or static property, for ACRN004.</summary>
    public string? OrderKey { get; }

    /// <summary>Where the lock lives in terms of the body's <c>this</c>, parameters and statics, for the body's own summary.</summary>
    public LockPath? Path { get; init; }

    /// <summary>The local the guard is stored in, when it is one (ACRN007 follows it).</summary>
    public ILocalSymbol? GuardLocal { get; init; }

    public string DisplayName { get; }

    /// <summary>For a <c>lock</c> statement the compiler did not lower, the span of its body: the lock is held inside it only.</summary>
    public TextSpan? Scope { get; }

    public bool IsAsync => Call.IsAsync;

    private static string Shorten(string text)
    {
        text = text.Trim();
        return text.Length <= 60 ? text : text.Substring(0, 57) + "...";
    }
}
