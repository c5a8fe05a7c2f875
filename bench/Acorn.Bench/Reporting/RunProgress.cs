using Spectre.Console;

namespace Acorn.Bench.Reporting;

/// <summary>
/// Chooses how a run shows its progress: a live Spectre.Console display on an interactive terminal, plain lines when the
/// output is redirected (a CI log), so that the log holds one readable line per result and no cursor escape codes.
/// </summary>
internal static class RunProgress
{
    public static async Task<T> RunAsync<T>(Func<IRunProgress, Task<T>> body)
    {
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected || !console.Profile.Capabilities.Interactive || !console.Profile.Capabilities.Ansi)
        {
            return await body(new PlainRunProgress());
        }

        var result = default(T)!;
        await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context => result = await body(new LiveRunProgress(context, console)));
        return result;
    }
}
