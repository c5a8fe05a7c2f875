using System.Globalization;

namespace Acorn.Bench.Http;

/// <summary>
/// Acorn.Server's own counters (<c>/metrics</c>, Prometheus text) read before and after a measured run: the sums and
/// counts of its histograms, so their deltas say where a request's time went inside the server.
/// </summary>
internal sealed record ServerMetrics(IReadOnlyDictionary<string, double> Series)
{
    public static readonly ServerMetrics Empty = new(new Dictionary<string, double>());

    public static async Task<ServerMetrics> ScrapeAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken);
        var series = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith("acorn_contexts_", StringComparison.Ordinal))
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            var name = line[..space];
            var bare = name.Split('{')[0];
            if ((bare.EndsWith("_sum", StringComparison.Ordinal) || bare.EndsWith("_count", StringComparison.Ordinal))
                && double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                series[name] = value;
            }
        }

        return new ServerMetrics(series);
    }

    public ServerMetrics Minus(ServerMetrics before) =>
        new(Series.ToDictionary(s => s.Key, s => s.Value - before.Series.GetValueOrDefault(s.Key), StringComparer.Ordinal));

    /// <summary>The total of every series of <paramref name="metric"/> whose labels contain all of <paramref name="labels"/>.</summary>
    public double Total(string metric, params string[] labels) =>
        Series.Where(s => s.Key.Split('{')[0] == metric && labels.All(l => s.Key.Contains(l, StringComparison.Ordinal))).Sum(s => s.Value);

    public double Commits => Total("acorn_contexts_store_commit_duration_seconds_count");

    public double MeanCommitMilliseconds => Commits == 0 ? double.NaN : Total("acorn_contexts_store_commit_duration_seconds_sum") / Commits * 1000;

    public double MeanBatchSize
    {
        get
        {
            var batches = Total("acorn_contexts_store_batch_size_count");
            return batches == 0 ? double.NaN : Total("acorn_contexts_store_batch_size_sum") / batches;
        }
    }

    /// <summary>The mean time ContextManager spent in an operation (lock wait, store and commit included), in milliseconds.</summary>
    public double MeanOperationMilliseconds(string operation)
    {
        var label = $"operation=\"{operation}\"";
        var count = Total("acorn_contexts_operation_duration_seconds_count", label);
        return count == 0 ? double.NaN : Total("acorn_contexts_operation_duration_seconds_sum", label) / count * 1000;
    }

    public double OperationCount(string operation) => Total("acorn_contexts_operation_duration_seconds_count", $"operation=\"{operation}\"");
}
