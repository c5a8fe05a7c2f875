using Microsoft.Extensions.Logging;

namespace Acorn.Client.Tests;

/// <summary>Counts one client's log records of one event id and lets a test wait for the next one.</summary>
public sealed class SignalingLoggerProvider(int watchedEventId) : ILoggerProvider, ILogger
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Completes when a record is logged after this call.</summary>
    public Task NextAsync()
    {
        lock (_gate)
        {
            return _next.Task;
        }
    }

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Id != watchedEventId)
        {
            return;
        }

        TaskCompletionSource signal;
        lock (_gate)
        {
            _count++;
            signal = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
    }

    public void Dispose()
    {
    }
}
