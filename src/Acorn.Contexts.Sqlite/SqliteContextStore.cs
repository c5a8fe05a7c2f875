using System.Diagnostics;
using System.Threading.Channels;
using Acorn.Contexts.Sqlite.Internal;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Acorn.Contexts.Sqlite;

/// <summary>The embedded context store: one SQLite file in WAL mode, written by one task that commits in batches.</summary>
/// <remarks>
/// <para>
/// <b>Group commit.</b> <see cref="WriteAsync"/> queues the write for a single writer task, which takes every write
/// waiting (up to <see cref="SqliteContextStoreOptions.MaxBatchSize"/>), applies them in one transaction and
/// acknowledges each only after the commit: with <see cref="Durability.Full"/>, after the fsync. Many concurrent
/// writers share one fsync instead of queueing for one each.
/// </para>
/// <para>
/// <b>Version checks.</b> Each write is applied only if the stored version is the one it expects; a stale write fails
/// with <see cref="ContextVersionConflictException"/> and changes nothing, whatever else its batch contains.
/// </para>
/// <para>
/// <b>Faults.</b> When a batch fails before its <c>COMMIT</c> (disk full, I/O error, a file another process locked)
/// every write of that batch fails with <see cref="ContextStoreException"/> and nothing of it is stored. So does a
/// <c>COMMIT</c> that SQLite reports as rolled back (a full disk, a failed write to the log, a lock). When the
/// <c>COMMIT</c> fails in a way that may leave the batch durable (an fsync error after the log was written, an I/O error
/// SQLite does not classify), every write of the batch fails with <see cref="ContextWriteOutcomeUnknownException"/>. Either way the writer reopens its connection for
/// the next batch, so the store recovers by itself once the fault clears.
/// </para>
/// <para>
/// Reads use separate pooled connections, so they never wait for the writer. SQLite's API is synchronous: the writer
/// occupies one thread-pool thread while it commits a batch.
/// </para>
/// <para>
/// <b>Plugin state.</b> The store is also the <see cref="IPluginStateStore"/> of the same file: plugin state is saved
/// through the same writer, with the same durability.
/// </para>
/// </remarks>
public sealed partial class SqliteContextStore : IContextStore, IAsyncDisposable
{
    // How long the writer may hold a batch back for writers that are still coming, at most, and without any new one.
    private static readonly TimeSpan MaxGatherTime = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan StallTime = TimeSpan.FromMicroseconds(100);

    private readonly SqliteContextStoreOptions _options;
    private readonly ILogger _logger;
    private readonly string _writeConnectionString;
    private readonly string _readConnectionString;
    private readonly Channel<PendingWrite> _queue;
    private readonly Task _writer;
    private readonly TimeProvider _time;
    private readonly DatabaseFileLock? _fileLock;
    private SqliteConnection? _connection;
    private SqliteWriteCommands? _commands;
    private long _committedBatches;
    private int _disposed;

    /// <summary>Opens (creating if needed) the database and starts the writer.</summary>
    /// <param name="options">Where the file is and how durable writes are.</param>
    /// <param name="logger">The logger; <see langword="null"/> logs nothing.</param>
    /// <param name="timeProvider">The clock for plugin state's <see cref="PluginStateRecord.UpdatedAt"/>; <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="ContextStoreException">
    /// The file cannot be opened or migrated (for example: written by a newer Acorn), another store (in this process or
    /// another) has it open, or its directory or files cannot be written.
    /// </exception>
    public SqliteContextStore(SqliteContextStoreOptions options, ILogger<SqliteContextStore>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        var path = Path.GetFullPath(options.Path);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        };
        _writeConnectionString = builder.ToString();
        builder.Pooling = true;
        _readConnectionString = builder.ToString();
        FilePath = path;

        try
        {
            _fileLock = DatabaseFileLock.Acquire(path);
            _connection = OpenWriterConnection();
            SqliteSchema.Migrate(_connection, path);
            _commands = new SqliteWriteCommands(_connection);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            _connection?.Dispose();
            _fileLock?.Dispose();
            throw new ContextStoreException(null, $"The context database '{path}' could not be opened: {ex.Message}", ex);
        }
        catch
        {
            // A refused migration (a file from a newer Acorn) must not keep the file locked for the rest of the process.
            _connection?.Dispose();
            _fileLock?.Dispose();
            throw;
        }

        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(options.WriteQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = Task.Run(WriteLoopAsync);
        Log.Opened(_logger, path, options.Durability);
    }

    /// <summary>The full path of the database file.</summary>
    public string FilePath { get; }

    /// <summary>How many transactions the writer has committed: fewer than the writes when group commit batches them.</summary>
    public long CommittedBatches => Interlocked.Read(ref _committedBatches);

    /// <inheritdoc />
    public Task<ContextStoreSummary> ReadSummaryAsync(CancellationToken cancellationToken) =>
        ReadAsync(null, async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT (SELECT count(*) FROM contexts),
                       max(coalesce((SELECT value FROM sequences WHERE name = 'recovery_point'), 0), coalesce((SELECT max(id) FROM recovery_points), 0)),
                       coalesce((SELECT value FROM sequences WHERE name = 'deleted_version'), 0);
                """;
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await reader.ReadAsync(ct).ConfigureAwait(false);
            return new ContextStoreSummary(checked((int)reader.GetInt64(0)), reader.GetInt64(1), reader.GetInt64(2));
        }, cancellationToken);

    /// <inheritdoc />
    /// <remarks>A keyset read on the primary key (<c>WHERE id &gt; $after ORDER BY id LIMIT $limit</c>): each page costs its own size, wherever it starts.</remarks>
    public Task<ContextStorePage> ReadContextsAsync(string? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return ReadAsync(null, async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = after is null
                ? $"SELECT {SqliteRows.ContextColumns} FROM contexts ORDER BY id LIMIT $limit;"
                : $"SELECT {SqliteRows.ContextColumns} FROM contexts WHERE id > $after ORDER BY id LIMIT $limit;";
            command.Parameters.AddWithValue("$limit", limit);
            if (after is not null)
            {
                command.Parameters.AddWithValue("$after", after);
            }

            var contexts = new List<ContextState>(limit);
            List<UnreadableContext>? unreadable = null;
            string? last = null;
            var rows = 0;
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                rows++;
                var (state, bad) = SqliteRows.TryReadState(reader);
                if (state is not null)
                {
                    contexts.Add(state);
                    last = state.Id;
                }
                else
                {
                    (unreadable ??= []).Add(bad!);
                    last = bad!.Id;
                }
            }

            return new ContextStorePage(contexts, unreadable ?? [], rows < limit ? null : last);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ContextState?> ReadContextAsync(string contextId, CancellationToken cancellationToken) =>
        ReadAsync(contextId, async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {SqliteRows.ContextColumns} FROM contexts WHERE id = $id;";
            command.Parameters.AddWithValue("$id", contextId);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false) ? SqliteRows.ReadState(reader) : null;
        }, cancellationToken);

    /// <inheritdoc />
    public async ValueTask WriteAsync(ContextWrite write, CancellationToken cancellationToken)
    {
        var durable = await SubmitAsync(write, cancellationToken).ConfigureAwait(false);
        await durable.ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The write is accepted once it is in the writer's queue, which the writer drains in order, so writes submitted one
    /// after another commit in that order (in one batch or in consecutive ones) and are acknowledged in it.
    /// </remarks>
    public ValueTask<Task> SubmitAsync(ContextWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<Task>(cancellationToken);
        }

        var pending = new PendingContextWrite(write);
        return _queue.Writer.TryWrite(pending)
            ? new ValueTask<Task>(pending.Completion)
            : SubmitSlowAsync(pending, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RecoveryPoint>> ListRecoveryPointsAsync(string contextId, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<RecoveryPoint>>(contextId, async (connection, ct) =>
        {
            var points = new List<RecoveryPoint>();
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {SqliteRows.RecoveryPointColumns} FROM recovery_points WHERE context_id = $id ORDER BY id DESC;";
            command.Parameters.AddWithValue("$id", contextId);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                points.Add(SqliteRows.ReadRecoveryPoint(reader));
            }

            return points;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<RecoveryPoint?> GetRecoveryPointAsync(string contextId, long recoveryPointId, CancellationToken cancellationToken) =>
        ReadAsync(contextId, async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {SqliteRows.RecoveryPointColumns} FROM recovery_points WHERE context_id = $id AND id = $rp;";
            command.Parameters.AddWithValue("$id", contextId);
            command.Parameters.AddWithValue("$rp", recoveryPointId);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false) ? SqliteRows.ReadRecoveryPoint(reader) : null;
        }, cancellationToken);

    /// <summary>Stops accepting writes, commits every write already queued, and closes the database.</summary>
    /// <remarks>Safe to call more than once: a container disposes the store once for each contract it was registered as.</remarks>
    /// <returns>A task that completes when the last queued write is acknowledged.</returns>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _commands?.Dispose();
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        using var pooled = new SqliteConnection(_readConnectionString);
        SqliteConnection.ClearPool(pooled);
        _fileLock?.Dispose();
    }

    private async ValueTask<Task> SubmitSlowAsync(PendingContextWrite pending, CancellationToken cancellationToken)
    {
        await EnqueueAsync(pending, cancellationToken).ConfigureAwait(false);
        return pending.Completion;
    }

    /// <summary>Hands a write to the writer task, waiting for room in the queue; cancellation stops only this wait.</summary>
    private async ValueTask EnqueueAsync(PendingWrite pending, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(SqliteContextStore));
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>(_options.MaxBatchSize);
        var reader = _queue.Reader;
        var previous = 0;
        var lastCommit = TimeSpan.Zero;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (previous > 1)
            {
                await GatherAsync(reader, Math.Min(_options.MaxBatchSize, previous), lastCommit).ConfigureAwait(false);
            }

            while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            var started = Stopwatch.GetTimestamp();
            CommitBatch(batch);
            lastCommit = Stopwatch.GetElapsedTime(started);
            previous = batch.Count;
            batch.Clear();
        }
    }

    /// <summary>
    /// Group commit under load: lets the writers the last commit woke come back before the next batch is taken, so one
    /// commit holds them all instead of alternating some and the rest (which halves the writes per commit). It waits,
    /// yielding the thread, until the queue holds as many writes as the last batch, for at most as long as the last commit
    /// took and only while the queue keeps growing; not at all when the last batch held one write (nothing contends).
    /// </summary>
    private static async ValueTask GatherAsync(ChannelReader<PendingWrite> reader, int expected, TimeSpan lastCommit)
    {
        var started = Stopwatch.GetTimestamp();
        var budget = lastCommit < MaxGatherTime ? lastCommit : MaxGatherTime;
        var grew = started;
        while (reader.Count < expected)
        {
            var seen = reader.Count;
            await Task.Yield();
            var now = Stopwatch.GetTimestamp();
            if (reader.Count != seen)
            {
                grew = now;
            }
            else if (Stopwatch.GetElapsedTime(grew, now) > StallTime)
            {
                return;
            }

            if (Stopwatch.GetElapsedTime(started, now) > budget)
            {
                return;
            }
        }
    }

    private void CommitBatch(List<PendingWrite> batch)
    {
        var started = Stopwatch.GetTimestamp();
        var conflicts = new Exception?[batch.Count];
        SqliteTransaction? transaction = null;
        try
        {
            var connection = _connection ??= OpenWriterConnection();
            var commands = _commands ??= new SqliteWriteCommands(connection);
            transaction = connection.BeginTransaction();
            commands.BeginBatch();
            for (var i = 0; i < batch.Count; i++)
            {
                conflicts[i] = batch[i].Apply(commands, transaction);
            }

            commands.WriteRows(transaction);
        }
        catch (Exception ex)
        {
            transaction?.Dispose();
            FailBatch(batch, ex, outcomeKnown: true);
            return;
        }

        try
        {
            transaction.Commit();
        }
        catch (Exception ex)
        {
            FailBatch(batch, ex, outcomeKnown: SqliteCommitErrors.RolledBack(ex));
            return;
        }
        finally
        {
            transaction.Dispose();
        }

        Interlocked.Increment(ref _committedBatches);
        SqliteStoreMetrics.RecordCommit(batch.Count, started);
        for (var i = 0; i < batch.Count; i++)
        {
            if (conflicts[i] is { } conflict)
            {
                batch[i].Fail(conflict);
            }
            else
            {
                batch[i].Succeed();
            }
        }
    }

    private void FailBatch(List<PendingWrite> batch, Exception cause, bool outcomeKnown)
    {
        Log.CommitFailed(_logger, batch.Count, outcomeKnown ? "nothing of it was stored" : "it may have been stored", cause);

        // The connection may be unusable after an I/O error; a fresh one for the next batch is how the store recovers.
        _commands?.Dispose();
        _commands = null;
        _connection?.Dispose();
        _connection = null;

        foreach (var pending in batch)
        {
            pending.Fail(outcomeKnown ? pending.NotCommitted(cause) : pending.OutcomeUnknown(cause));
        }
    }

    private SqliteConnection OpenWriterConnection()
    {
        var connection = new SqliteConnection(_writeConnectionString);
        try
        {
            connection.Open();
            var synchronous = _options.Durability switch
            {
                Durability.Full => "FULL",
                Durability.Normal => "NORMAL",
                _ => "OFF",
            };
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText =
                $"PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous}; PRAGMA busy_timeout = {(long)_options.BusyTimeout.TotalMilliseconds};";
            pragmas.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Runs a read on a pooled connection; SQLite errors and unreadable rows become <see cref="ContextStoreException"/>.</summary>
    private async Task<T> ReadAsync<T>(string? contextId, Func<SqliteConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new SqliteConnection(_readConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return await read(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SqliteException or System.Text.Json.JsonException or ArgumentException or InvalidContextIdException)
        {
            throw new ContextStoreException(contextId, $"The context database '{FilePath}' could not be read: {ex.Message}", ex);
        }
    }
}
