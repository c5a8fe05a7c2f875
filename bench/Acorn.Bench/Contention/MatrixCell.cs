using System.Globalization;

namespace Acorn.Bench.Contention;

/// <summary>One cell of the contention matrix: a contender on a store and scenario, at a task count.</summary>
/// <remarks>The SQLite write ceiling has one writer whatever the column: its cell has no task count (0).</remarks>
internal sealed record MatrixCell(StoreKind Store, Scenario Scenario, int Tasks, string Contender)
{
    /// <summary>Every cell the options ask for, in the order the report lists them.</summary>
    public static List<MatrixCell> All(ContentionOptions options) =>
        [
            .. from store in options.Stores
               from scenario in options.MatrixScenarios
               from cell in Ceiling(store, scenario).Concat(
                   from tasks in options.Concurrency
                   from contender in ContentionRunner.For(store, scenario)
                   select new MatrixCell(store, scenario, tasks, contender))
               select cell,
        ];

    private static IEnumerable<MatrixCell> Ceiling(StoreKind store, Scenario scenario) =>
        SqliteWriteCeiling.Applies(store, scenario) ? [new MatrixCell(store, scenario, 0, Ceilings.SqliteBatched)] : [];

    public override string ToString() => Tasks == 0
        ? $"{Store} {Scenario}: {Contender}"
        : string.Create(CultureInfo.InvariantCulture, $"{Store} {Scenario} {Tasks} tasks: {Contender}");
}
