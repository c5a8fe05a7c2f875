using Acorn.Server;

await AcornServerApplication.Create(args).RunAsync().ConfigureAwait(false);
