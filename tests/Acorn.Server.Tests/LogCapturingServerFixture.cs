using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Acorn.Server.Tests;

/// <summary>The server with every log record, Debug included, collected in <see cref="Logs"/> (the console still shows only warnings).</summary>
public sealed class LogCapturingServerFixture : ServerFixture
{
    public const string ServiceName = "acorn-under-test";

    public LogCapturingServerFixture()
    {
        ExtraArguments.Add("--Logging:LogLevel:Default=Debug");
        ExtraArguments.Add("--Logging:LogLevel:Microsoft.AspNetCore=Debug");
        ExtraArguments.Add("--Logging:Console:LogLevel:Default=Warning");
        ExtraArguments.Add($"--Acorn:Server:ServiceName={ServiceName}");
    }

    public FakeLogCollector Logs { get; } = new();

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        App.Services.GetRequiredService<ILoggerFactory>().AddProvider(new FakeLoggerProvider(Logs));
    }
}
