namespace Acorn.Server.Security;

/// <summary>What an API key may do.</summary>
public enum ApiKeyRole
{
    /// <summary>Every route: reads, writes, plugin actions.</summary>
    Admin,

    /// <summary>GET routes only; a write answers 403.</summary>
    ReadOnly,
}
