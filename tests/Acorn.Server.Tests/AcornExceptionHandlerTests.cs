using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Acorn.Server.Tests;

/// <summary>
/// The exception handler when the client has gone: the two orders of Kestrel's race between "end of input" and "request
/// aborted", which a real socket cannot choose (ServerLogTests disconnects a real one).
/// </summary>
public sealed class AcornExceptionHandlerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Unexpected_end_of_body_from_a_client_already_gone_is_logged_at_debug_and_not_answered()
    {
        var logger = new FakeLogger<AcornExceptionHandler>();
        var context = new DefaultHttpContext { RequestAborted = new CancellationToken(canceled: true) };
        context.Response.Body = new MemoryStream();

        var handled = await new AcornExceptionHandler(logger).TryHandleAsync(
            context, new BadHttpRequestException("Unexpected end of request content.", StatusCodes.Status400BadRequest), Ct);

        Assert.True(handled);
        Assert.Equal(0, context.Response.Body.Length);
        var line = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal((4011, LogLevel.Debug), (line.Id.Id, line.Level));
    }

    [Fact]
    public async Task A_client_that_goes_while_the_problem_is_written_is_logged_at_debug_not_thrown()
    {
        var logger = new FakeLogger<AcornExceptionHandler>();
        using var aborted = new CancellationTokenSource();
        var context = new DefaultHttpContext { RequestAborted = aborted.Token };
        context.Response.Body = new AbortingStream(aborted);

        var handled = await new AcornExceptionHandler(logger).TryHandleAsync(
            context, new BadHttpRequestException("Unexpected end of request content.", StatusCodes.Status400BadRequest), Ct);

        Assert.True(handled);
        var lines = logger.Collector.GetSnapshot();
        Assert.Contains(lines, line => line.Id.Id == 4011);
        Assert.All(lines, line => Assert.Equal(LogLevel.Debug, line.Level));
    }

    /// <summary>A response body whose connection drops at the first write, as Kestrel's does once the client is gone.</summary>
    private sealed class AbortingStream(CancellationTokenSource aborted) : MemoryStream
    {
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            aborted.Cancel();
            return ValueTask.FromCanceled(aborted.Token);
        }
    }
}
