namespace Acorn.Client;

/// <summary>The server refused the API key (401: missing or wrong) or refused it this operation (403: a read-only key writing).</summary>
public sealed class AcornAccessDeniedException : UnauthorizedAccessException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="baseAddress">The server that refused.</param>
    /// <param name="statusCode">401 or 403.</param>
    /// <param name="detail">What the server said.</param>
    public AcornAccessDeniedException(Uri baseAddress, int statusCode, string detail)
        : base(statusCode == 403
            ? $"The Acorn server at {baseAddress} refused this operation to the API key ({statusCode}): {detail} Writes need an admin key."
            : $"The Acorn server at {baseAddress} did not accept the API key ({statusCode}): {detail} Check AcornClientOptions.ApiKey.")
    {
        BaseAddress = baseAddress;
        StatusCode = statusCode;
    }

    /// <summary>The server that refused.</summary>
    public Uri BaseAddress { get; }

    /// <summary>401 when the key is missing or unknown; 403 when the key may read but not write.</summary>
    public int StatusCode { get; }
}
