using Acorn.Contexts;

namespace Acorn.Contexts.Sqlite;

/// <summary>Settings of a <see cref="SqliteContextStore"/>.</summary>
public sealed class SqliteContextStoreOptions
{
    /// <summary>The database file. Its folder is created if missing. Default <c>data/acorn.db</c>.</summary>
    public string Path { get; set; } = System.IO.Path.Combine("data", "acorn.db");

    /// <summary>What an acknowledged write survives. Default <see cref="Durability.Full"/>.</summary>
    public Durability Durability { get; set; } = Durability.Full;

    /// <summary>The most writes one transaction commits together (group commit). Default 256.</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>How many writes may wait for the writer before callers wait for room. Default 10,000.</summary>
    public int WriteQueueCapacity { get; set; } = 10_000;

    /// <summary>How long a connection waits for another process's lock on the file. Default 5 seconds.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            throw new ArgumentException($"{nameof(Path)} must name a database file.", nameof(Path));
        }

        if (MaxBatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatchSize), MaxBatchSize, $"{nameof(MaxBatchSize)} must be at least 1.");
        }

        if (WriteQueueCapacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(WriteQueueCapacity), WriteQueueCapacity, $"{nameof(WriteQueueCapacity)} must be at least 1.");
        }

        if (BusyTimeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(BusyTimeout), BusyTimeout, $"{nameof(BusyTimeout)} must not be negative.");
        }
    }
}
