namespace Acorn.Client.Internal;

/// <summary>What a request does, which decides how its failures are reported.</summary>
internal enum RequestKind
{
    /// <summary>A read: failures are <c>ContextStoreException</c>s; it changed nothing.</summary>
    Read,

    /// <summary>A write: a failure after it may have reached the server leaves its outcome unknown.</summary>
    Write,

    /// <summary>A patch: a write whose malformed body is an <c>InvalidContextPatchException</c>.</summary>
    Patch,
}
