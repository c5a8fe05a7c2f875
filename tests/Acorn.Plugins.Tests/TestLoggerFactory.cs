using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Acorn.Plugins.Tests;

/// <summary>Hands out fake loggers that all record into one collector.</summary>
internal sealed class TestLoggerFactory : ILoggerFactory
{
    public FakeLogCollector Collector { get; } = new();

    public ILogger CreateLogger(string categoryName) => new FakeLogger(Collector, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("the test factory has one fixed sink");

    public void Dispose()
    {
    }

    public IReadOnlyList<string> MessagesOf(string category) =>
        Collector.GetSnapshot().Where(r => r.Category == category).Select(r => r.Message).ToList();
}
