using System.Globalization;

namespace Acorn.Bench.Contention;

/// <summary>The command line of the performance run: <c>[--quick] [--scenario X] [--out DIR] [--no-micro]</c>.</summary>
internal sealed record ContentionOptions(bool Quick, string? Scenario, string OutFolder, bool SkipMicroBenchmarks)
{
    /// <summary>The values <c>--scenario</c> accepts: the matrix scenarios and the starvation scenario.</summary>
    public static readonly string[] ScenarioNames = [.. Enum.GetNames<Scenario>(), "Starvation"];

    public bool StarvationOnly => string.Equals(Scenario, "Starvation", StringComparison.OrdinalIgnoreCase);

    public Scenario[] MatrixScenarios => StarvationOnly ? [] : Scenario is { } s ? [Enum.Parse<Scenario>(s, ignoreCase: true)] : Enum.GetValues<Scenario>();

    public bool RunsStarvation => Scenario is null || StarvationOnly;

    /// <summary>The micro-benchmarks run only in a full run: they take minutes, and a filtered run is about one scenario.</summary>
    public bool RunsMicroBenchmarks => !Quick && Scenario is null && !SkipMicroBenchmarks;

    public StoreKind[] Stores => Quick ? [StoreKind.InMemory, StoreKind.SqliteFull, StoreKind.SimulatedRemote] : Enum.GetValues<StoreKind>();

    public int[] Concurrency => Quick ? [1, 64] : [1, 4, 16, 32, 64];

    public int OperationsPerCell => Quick ? 320 : 3_200;

    /// <summary>Parses the arguments, or returns the message that says what is wrong with them.</summary>
    public static (ContentionOptions? Options, string? Error) Parse(string[] args)
    {
        string? scenario = null;
        var outFolder = "docs";
        bool quick = false, noMicro = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--no-micro":
                    noMicro = true;
                    break;
                case "--scenario" when i + 1 < args.Length:
                    var wanted = args[++i];
                    scenario = ScenarioNames.FirstOrDefault(n => n.Equals(wanted, StringComparison.OrdinalIgnoreCase));
                    if (scenario is null)
                    {
                        return (null, string.Create(CultureInfo.InvariantCulture, $"Unknown scenario '{wanted}': expected one of {string.Join(", ", ScenarioNames)}."));
                    }

                    break;
                case "--out" when i + 1 < args.Length:
                    outFolder = args[++i];
                    break;
                default:
                    return (null, $"Unknown or incomplete argument '{args[i]}'.");
            }
        }

        return (new ContentionOptions(quick, scenario, outFolder, noMicro), null);
    }
}
