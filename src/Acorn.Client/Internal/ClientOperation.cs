using System.Diagnostics;

namespace Acorn.Client.Internal;

/// <summary>One client operation being timed and traced: its activity and its duration with the outcome.</summary>
internal sealed class ClientOperation : IDisposable
{
    private readonly string _name;
    private readonly Uri _server;
    private readonly Activity? _activity;
    private readonly long _started;
    private bool _failed;

    private ClientOperation(string name, Uri server, string? contextId)
    {
        _name = name;
        _server = server;
        _started = ClientTelemetry.OperationDuration.Enabled ? Stopwatch.GetTimestamp() : 0;
        _activity = ClientTelemetry.Source.StartActivity($"acorn {name}", ActivityKind.Internal);
        if (_activity is { IsAllDataRequested: true })
        {
            _activity.SetTag("acorn.operation", name);
            _activity.SetTag("server.address", server.Host);
            _activity.SetTag("server.port", server.Port);
            if (contextId is not null)
            {
                _activity.SetTag("acorn.context.id", contextId);
            }
        }
    }

    public static ClientOperation Start(string name, Uri server, string? contextId = null) => new(name, server, contextId);

    /// <summary>Records a failure: the activity's status and <c>error.type</c>, on the activity and the duration.</summary>
    public void Failed(Exception exception)
    {
        _failed = true;
        _activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
        _activity?.SetTag("error.type", exception.GetType().FullName);
        Record(exception.GetType().FullName);
    }

    public void Dispose()
    {
        if (!_failed)
        {
            Record(errorType: null);
        }

        _activity?.Dispose();
    }

    private void Record(string? errorType)
    {
        if (_started == 0 || !ClientTelemetry.OperationDuration.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { "acorn.operation", _name },
            { "server.address", _server.Host },
            { "server.port", _server.Port },
        };
        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        ClientTelemetry.OperationDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, tags);
    }
}
