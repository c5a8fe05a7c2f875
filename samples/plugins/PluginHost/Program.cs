// A minimal plugin host: loads every plugin under the root given on the command line, prints each status, then stops.
// Arguments after the root are configuration, for example --Acorn:Plugins:TrustedSha256:sample.hello=<sha256>.
using System.Text.Json;
using Acorn.Plugins;
using Acorn.Plugins.Management;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

if (args.Length < 1 || args[0].StartsWith('-'))
{
    Console.Error.WriteLine("usage: PluginHost <plugin root> [--Acorn:Plugins:<setting>=<value>]...");
    return 2;
}

var builder = Host.CreateApplicationBuilder(args[1..]);
builder.Services.AddAcornPlugins(options =>
{
    options.Roots.Add(args[0]);
    options.CapabilityGrants["sample.hello"] = [PluginCapabilities.PluginsQuery];
    options.Configuration["sample.hello"] = JsonDocument.Parse("""{ "greeting": "Hi there" }""").RootElement.Clone();
});
using var host = builder.Build();

await host.StartAsync();
var manager = host.Services.GetRequiredService<PluginManager>();
foreach (var plugin in manager.GetPlugins())
{
    Console.WriteLine($"{plugin.Id} {plugin.Descriptor.Version}: {plugin.Status}{(plugin.Reason is null ? "" : " - " + plugin.Reason)}");
}

await host.StopAsync();
foreach (var plugin in manager.GetPlugins())
{
    Console.WriteLine($"after stop, {plugin.Id}: {plugin.Status}");
}

return manager.GetPlugins().Any(p => p.Status == PluginStatus.Failed) ? 1 : 0;
