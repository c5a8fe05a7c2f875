using System.Globalization;

namespace Acorn.Bench.Reporting;

/// <summary>Progress for redirected output: one plain line per stage and per result, numbered within the stage.</summary>
internal sealed class PlainRunProgress : IRunProgress
{
    private string _stage = "";
    private int _steps;
    private int _done;

    public void BeginStage(string name, int steps)
    {
        (_stage, _steps, _done) = (name, steps, 0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"== {name} ({steps} steps)"));
    }

    // A CI log wants results, not a line per intermediate state.
    public void Status(string doing)
    {
    }

    public void Step(string resultLine) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{_stage} {++_done,3}/{_steps}] {resultLine}"));

    public void Note(string line) => Console.WriteLine(line);
}
