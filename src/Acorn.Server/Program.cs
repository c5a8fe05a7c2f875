using Acorn.Server;
using Acorn.Server.Commands;
using Acorn.Server.Storage;

if (args is [PluginHashCommand.Name, .. var folders])
{
    return await PluginHashCommand.RunAsync(folders, Console.Out, Console.Error, CancellationToken.None).ConfigureAwait(false);
}

try
{
    await AcornServerApplication.Create(args).RunAsync().ConfigureAwait(false);
    return 0;
}
catch (ClusterUnreachableException e)
{
    // Says what to check; the connection error's stack trace is in the log above.
    await Console.Error.WriteLineAsync($"Acorn server not started: {e.Message}").ConfigureAwait(false);
    return 1;
}
