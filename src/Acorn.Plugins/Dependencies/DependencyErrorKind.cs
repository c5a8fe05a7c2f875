namespace Acorn.Plugins.Dependencies;

/// <summary>Why the dependency graph refused a plugin.</summary>
public enum DependencyErrorKind
{
    /// <summary>Two plugins share an id.</summary>
    DuplicateId,

    /// <summary>A dependency is not among the plugins.</summary>
    MissingDependency,

    /// <summary>A dependency is present in a version outside the accepted range.</summary>
    VersionOutOfRange,

    /// <summary>The host's API version is outside the plugin's <c>hostApi</c> range.</summary>
    HostApiOutOfRange,

    /// <summary>The plugin is part of a dependency cycle.</summary>
    Cycle,

    /// <summary>The plugin is fine but a plugin it needs (directly or not) was refused.</summary>
    Blocked,
}
