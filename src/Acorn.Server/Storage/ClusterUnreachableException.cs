namespace Acorn.Server.Storage;

/// <summary>The server was started with <c>--store orleans</c> and could not connect to the cluster in the time allowed.</summary>
public sealed class ClusterUnreachableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ClusterUnreachableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was tried and what to check.</param>
    public ClusterUnreachableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the connection error.</summary>
    /// <param name="message">What was tried and what to check.</param>
    /// <param name="innerException">The last connection error.</param>
    public ClusterUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
