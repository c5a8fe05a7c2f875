using System.Text.Json;

namespace Acorn.Contexts;

/// <summary>The session layer over a <see cref="ContextManager"/>: a set of active contexts and a current one.</summary>
/// <remarks>
/// <para>
/// Activating an already-active context makes it current. Deactivating the current context falls back to the default
/// context when that is active, and otherwise leaves no current context: the current id never names an inactive
/// context.
/// </para>
/// <para>
/// The adapter's own bookkeeping is a short synchronous critical section; every call into the manager happens
/// outside it.
/// </para>
/// </remarks>
public sealed class ContextAdapter
{
    private static readonly JsonElement EmptyObject = JsonSerializer.Deserialize<JsonElement>("{}");

    private readonly IContextManager _manager;
    private readonly ContextAdapterOptions _options;
    private readonly Lock _gate = new();
    private readonly List<string> _active = [];
    private string? _current;

    /// <summary>Creates an adapter.</summary>
    /// <param name="manager">The context manager.</param>
    /// <param name="options">Settings; <see langword="null"/> uses the defaults.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public ContextAdapter(IContextManager manager, ContextAdapterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(manager);
        _manager = manager;
        _options = options ?? new ContextAdapterOptions();
        ContextId.Validate(_options.DefaultContextId);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxActiveContexts, 1, nameof(options));
    }

    /// <summary>The default context's id.</summary>
    public string DefaultContextId => _options.DefaultContextId;

    /// <summary>The current context's id, or <see langword="null"/> when there is none.</summary>
    public string? CurrentContextId
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>The active contexts' ids, in activation order.</summary>
    public IReadOnlyList<string> ActiveContextIds
    {
        get
        {
            lock (_gate)
            {
                return [.. _active];
            }
        }
    }

    /// <summary>Activates the default context when <see cref="ContextAdapterOptions.AutoActivateDefault"/> is set.</summary>
    /// <param name="cancellationToken">Cancels the activation.</param>
    /// <returns>A task that completes when the adapter is ready.</returns>
    /// <exception cref="ContextNotFoundException">The default context does not exist and auto-create is off.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (_options.AutoActivateDefault)
        {
            await ActivateAsync(_options.DefaultContextId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Makes a context active and current; an already-active context just becomes current.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="cancellationToken">Cancels the activation.</param>
    /// <returns>The context's state.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist and auto-create is off.</exception>
    /// <exception cref="ContextLimitExceededException"><see cref="ContextAdapterOptions.MaxActiveContexts"/> contexts are active.</exception>
    public async Task<ContextState> ActivateAsync(string id, CancellationToken cancellationToken = default)
    {
        ContextId.Validate(id);
        lock (_gate)
        {
            // Checked before an auto-create so a refused activation does not leave a new, unwanted context behind.
            EnsureRoomFor(id);
        }

        var state = await _manager.FindAsync(id, cancellationToken).ConfigureAwait(false)
            ?? await CreateIfAllowedAsync(id, cancellationToken).ConfigureAwait(false);
        MakeActiveAndCurrent(id);
        return state;
    }

    /// <summary>Creates a context and makes it active and current.</summary>
    /// <param name="id">The new context's id.</param>
    /// <param name="content">Its content.</param>
    /// <param name="cancellationToken">Cancels the create.</param>
    /// <returns>The new state.</returns>
    /// <exception cref="ContextAlreadyExistsException">The context exists.</exception>
    /// <exception cref="ContextLimitExceededException">Too many contexts exist, or too many are active.</exception>
    public async Task<ContextState> CreateAndActivateAsync(string id, ContextContent content, CancellationToken cancellationToken = default)
    {
        ContextId.Validate(id);
        lock (_gate)
        {
            EnsureRoomFor(id);
        }

        var state = await _manager.CreateAsync(id, content, cancellationToken).ConfigureAwait(false);
        MakeActiveAndCurrent(id);
        return state;
    }

    /// <summary>Makes an active context current.</summary>
    /// <param name="id">The context id.</param>
    /// <exception cref="ContextNotActiveException">The context is not active.</exception>
    public void Switch(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            if (!_active.Contains(id))
            {
                throw new ContextNotActiveException(id);
            }

            _current = id;
        }
    }

    /// <summary>Deactivates a context; if it was current, the default context (when active) becomes current.</summary>
    /// <param name="id">The context id.</param>
    /// <returns><see langword="true"/> when the context was active.</returns>
    public bool Deactivate(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            if (!_active.Remove(id))
            {
                return false;
            }

            if (_current == id)
            {
                _current = _active.Contains(_options.DefaultContextId) ? _options.DefaultContextId : null;
            }

            return true;
        }
    }

    /// <summary>Returns the current context's state, or <see langword="null"/> when there is no current context or it no longer exists.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The state, or <see langword="null"/>.</returns>
    public async ValueTask<ContextState?> GetCurrentAsync(CancellationToken cancellationToken = default) =>
        CurrentContextId is { } id ? await _manager.FindAsync(id, cancellationToken).ConfigureAwait(false) : null;

    /// <summary>Says whether a context is active, inactive or does not exist.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The status.</returns>
    public async ValueTask<ContextStatus> GetStatusAsync(string id, CancellationToken cancellationToken = default)
    {
        if (await _manager.FindAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            return ContextStatus.NonExistent;
        }

        lock (_gate)
        {
            return _active.Contains(id) ? ContextStatus.Active : ContextStatus.Inactive;
        }
    }

    private async Task<ContextState> CreateIfAllowedAsync(string id, CancellationToken cancellationToken)
    {
        if (!_options.AutoCreate)
        {
            throw new ContextNotFoundException(id);
        }

        try
        {
            return await _manager.CreateAsync(id, new ContextContent(EmptyObject), cancellationToken).ConfigureAwait(false);
        }
        catch (ContextAlreadyExistsException)
        {
            // Another caller created it between our read and our create: use theirs.
            return await _manager.GetAsync(id, cancellationToken).ConfigureAwait(false);
        }
    }

    private void MakeActiveAndCurrent(string id)
    {
        lock (_gate)
        {
            if (!_active.Contains(id))
            {
                EnsureRoomFor(id);
                _active.Add(id);
            }

            _current = id;
        }
    }

    private void EnsureRoomFor(string id)
    {
        if (!_active.Contains(id) && _active.Count >= _options.MaxActiveContexts)
        {
            throw new ContextLimitExceededException(id, _options.MaxActiveContexts, "active contexts");
        }
    }
}
