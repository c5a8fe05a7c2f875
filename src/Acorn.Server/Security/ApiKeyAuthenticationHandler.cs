using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Acorn.Server.Security;

/// <summary>Authenticates <c>Authorization: Bearer &lt;key&gt;</c> against the key ring; answers 401 and 403 as problem details.</summary>
/// <remarks>
/// The base handler would log every failure twice at Information ("not authenticated", then "challenged"), so a scan
/// floods the log; it gets no logger, and <see cref="AuthenticationFailures"/> reports each 401 instead.
/// </remarks>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    UrlEncoder encoder,
    ApiKeyRing keys,
    AuthenticationFailures failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, NullLoggerFactory.Instance, encoder)
{
    public const string SchemeName = "AcornApiKey";
    public const string RoleClaim = "acorn.role";
    public const string AdminPolicy = "acorn.admin";
    public const string ReadPolicy = "acorn.read";

    private const string BearerPrefix = "Bearer ";
    private const string ReasonItem = "acorn.reason";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(Fail("The Authorization header must be 'Bearer <key>'.", "malformed-header"));
        }

        if (keys.Find(header[BearerPrefix.Length..].Trim()) is not { } role)
        {
            return Task.FromResult(Fail("The API key is not valid.", "unknown-key"));
        }

        var identity = new ClaimsIdentity([new Claim(RoleClaim, role.ToString())], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        var result = await HandleAuthenticateOnceSafeAsync();
        failures.Record(Context, result.None ? "missing-key" : result.Properties?.GetString(ReasonItem) ?? "error");
        var failure = result.Failure?.Message;
        await Problems.Write(
            Context,
            StatusCodes.Status401Unauthorized,
            "Unauthorized",
            failure ?? "This route needs an API key: send 'Authorization: Bearer <key>'.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status403Forbidden, "Forbidden", "This API key is read-only; the route needs an admin key.");

    private static AuthenticateResult Fail(string message, string reason) =>
        AuthenticateResult.Fail(message, new AuthenticationProperties(new Dictionary<string, string?> { [ReasonItem] = reason }));
}
