using Acorn.Server;
using Acorn.Server.Commands;

if (args is [PluginHashCommand.Name, .. var folders])
{
    return await PluginHashCommand.RunAsync(folders, Console.Out, Console.Error, CancellationToken.None).ConfigureAwait(false);
}

await AcornServerApplication.Create(args).RunAsync().ConfigureAwait(false);
return 0;
