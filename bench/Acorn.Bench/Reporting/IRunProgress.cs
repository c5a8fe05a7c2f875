namespace Acorn.Bench.Reporting;

/// <summary>What a long run tells the person watching it: stages with a known number of steps, and one line per result.</summary>
internal interface IRunProgress
{
    /// <summary>Starts a stage of <paramref name="steps"/> steps (cells, child processes).</summary>
    void BeginStage(string name, int steps);

    /// <summary>Says what the current step is doing, before it finishes.</summary>
    void Status(string doing);

    /// <summary>Finishes one step of the current stage and prints its result line.</summary>
    void Step(string resultLine);

    /// <summary>Prints a line that is not a step (a target, a file written).</summary>
    void Note(string line);
}
