using System.Globalization;

namespace Acorn.Bench.Scale;

/// <summary>The command line of the scale suite: <c>[--quick] [--sizes N,N] [--http | --no-http] [--report FILE | --no-report] [--keep]</c>.</summary>
internal sealed record ScaleOptions(bool Quick, IReadOnlyList<int> Sizes, bool Http, string? ReportPath, bool Keep)
{
    public const string DefaultReport = "docs/performance.md";

    /// <summary>Parses the arguments, or returns the message that says what is wrong with them.</summary>
    public static (ScaleOptions? Options, string? Error) Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        IReadOnlyList<int>? sizes = null;
        bool? http = null;
        string? report = null;
        var noReport = false;
        var keep = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    break;
                case "--keep":
                    keep = true;
                    break;
                case "--http":
                    http = true;
                    break;
                case "--no-http":
                    http = false;
                    break;
                case "--no-report":
                    noReport = true;
                    break;
                case "--report" when i + 1 < args.Length:
                    report = args[++i];
                    break;
                case "--sizes" when i + 1 < args.Length:
                    var parsed = args[++i].Split(',').Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).ToList();
                    if (parsed.Any(n => n < ScaleWorkload.Tenants || n % ScaleWorkload.Tenants != 0))
                    {
                        return (null, $"--sizes takes counts that are multiples of {ScaleWorkload.Tenants}, separated by commas (as 100000,1000000).");
                    }

                    sizes = parsed;
                    break;
                default:
                    return (null, $"Unknown or incomplete argument '{args[i]}'.");
            }
        }

        // A quick run's figures are a smoke test's: they go to docs/performance.md only when asked for explicitly.
        var reportPath = noReport ? null : report ?? (quick ? null : DefaultReport);
        return (new ScaleOptions(quick, sizes ?? (quick ? [100_000] : [100_000, 1_000_000]), http ?? !quick, reportPath, keep), null);
    }

    /// <summary>The command, as the report states it.</summary>
    public string Command => "dotnet run -c Release --project bench/Acorn.Bench -- scale"
        + (Quick ? " --quick" : "")
        + (Sizes.SequenceEqual(Quick ? [100_000] : [100_000, 1_000_000]) ? "" : $" --sizes {string.Join(',', Sizes)}")
        + (Http == Quick ? (Http ? " --http" : " --no-http") : "");
}
