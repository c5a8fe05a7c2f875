namespace Acorn.Analyzers.Flow.Summaries;

/// <summary>What a <see cref="LockPath"/> starts from.</summary>
internal enum LockPathRoot
{
    /// <summary>The instance the method runs on (for a constructor: the object it creates).</summary>
    This,

    /// <summary>One of the method's parameters.</summary>
    Parameter,

    /// <summary>A static field or property: the same lock for every caller.</summary>
    Static,
}
