using Spectre.Console;

namespace Acorn.Bench.Reporting;

/// <summary>Progress on an interactive terminal: one Spectre.Console progress bar per stage, result lines scrolling above.</summary>
internal sealed class LiveRunProgress(ProgressContext context, IAnsiConsole console) : IRunProgress
{
    private ProgressTask? _stage;
    private string _stageName = "";

    public void BeginStage(string name, int steps)
    {
        _stage?.StopTask();
        _stageName = name;
        _stage = context.AddTask(Markup.Escape(name), maxValue: Math.Max(1, steps));
    }

    public void Status(string doing)
    {
        if (_stage is not null)
        {
            _stage.Description = Markup.Escape($"{_stageName}: {doing}");
        }
    }

    public void Step(string resultLine)
    {
        // Written through the console the display hooks, so the bars are redrawn below the line instead of over it.
        console.WriteLine(resultLine);
        if (_stage is not null)
        {
            _stage.Increment(1);
            _stage.Description = Markup.Escape(_stageName);
        }
    }

    public void Note(string line) => console.WriteLine(line);
}
