namespace Acorn.Server.Security;

/// <summary>One API key given in configuration: the key itself or its SHA-256, and what it may do.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>The key as clients send it (<c>Authorization: Bearer &lt;key&gt;</c>). Give this or <see cref="Sha256"/>.</summary>
    public string? Key { get; set; }

    /// <summary>The key's SHA-256 in hex, so the configuration need not hold the key itself.</summary>
    public string? Sha256 { get; set; }

    /// <summary>What the key may do. Default <see cref="ApiKeyRole.Admin"/>.</summary>
    public ApiKeyRole Role { get; set; } = ApiKeyRole.Admin;
}
