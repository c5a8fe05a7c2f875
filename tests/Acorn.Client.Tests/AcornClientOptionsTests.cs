using Acorn.Contexts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Acorn.Client.Tests;

/// <summary>AddAcornClient registers the client as the container's IContextManager, and bad options stop the host at start, named.</summary>
public sealed class AcornClientOptionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Bad_options_stop_the_host_at_start_naming_each_option_and_its_limit()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAcornClient(o =>
        {
            o.BaseAddress = new Uri("/relative", UriKind.Relative);
            o.ApiKey = "has a space";
            o.MaxRetries = 11;
            o.EventHeartbeatTimeout = TimeSpan.Zero;
        });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Contains(error.Failures, f => f.Contains("BaseAddress", StringComparison.Ordinal) && f.Contains("absolute", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("ApiKey", StringComparison.Ordinal) && f.Contains("without spaces", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("MaxRetries", StringComparison.Ordinal) && f.Contains("0 to 10", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("EventHeartbeatTimeout", StringComparison.Ordinal) && f.Contains("positive", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_client_is_the_containers_context_manager_unless_one_is_registered_first()
    {
        await using var alone = new ServiceCollection()
            .AddAcornClient(o => (o.BaseAddress, o.ApiKey) = (new Uri("http://127.0.0.1:1"), "key-0123456789"))
            .BuildServiceProvider();
        await using var embedded = new ServiceCollection()
            .AddAcorn()
            .AddAcornClient(o => (o.BaseAddress, o.ApiKey) = (new Uri("http://127.0.0.1:1"), "key-0123456789"))
            .BuildServiceProvider();

        Assert.Same(alone.GetRequiredService<AcornClient>(), alone.GetRequiredService<IContextManager>());
        Assert.IsType<ContextManager>(embedded.GetRequiredService<IContextManager>());
    }
}
