using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Acorn.Server.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Acorn.Server.Tests;

/// <summary>What the server logs for clients that fail authentication or go away, and how it names itself in /metrics.</summary>
public sealed class ServerLogTests(LogCapturingServerFixture server) : IClassFixture<LogCapturingServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Failed_authentication_is_counted_and_logged_at_debug_with_one_warning_not_two_information_lines_each_and_metrics_name_the_service()
    {
        using var failures = new MetricCollector<long>(
            server.App.Services.GetRequiredService<IMeterFactory>(), AuthenticationFailures.MeterName, "acorn.server.authentication.failures");
        var before = server.Logs.GetSnapshot().Count;
        using var wrongKey = server.CreateClient(key: "not-the-key");
        using var noKey = server.CreateClient(key: null);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrongKey.GetAsync("/contexts", Ct)).StatusCode);
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await noKey.GetAsync("/contexts", Ct)).StatusCode);
        }

        var records = server.Logs.GetSnapshot().Skip(before).ToList();
        Assert.DoesNotContain(records, r => r.Category == typeof(ApiKeyAuthenticationHandler).FullName);
        Assert.DoesNotContain(records, r => r.Level == LogLevel.Information && r.Category?.Contains("Authentication", StringComparison.Ordinal) == true);
        var perRequest = records.Where(r => r.Id.Id == 4040).ToList();
        Assert.Equal(25, perRequest.Count);
        Assert.All(perRequest, r => Assert.Equal(LogLevel.Debug, r.Level));
        var warning = Assert.Single(records, r => r.Id.Id == 4041);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("1 request(s) answered 401", warning.Message, StringComparison.Ordinal);

        var counted = failures.GetMeasurementSnapshot();
        Assert.Equal(20, counted.Where(m => m.Tags["reason"] as string == "unknown-key").Sum(m => m.Value));
        Assert.Equal(5, counted.Where(m => m.Tags["reason"] as string == "missing-key").Sum(m => m.Value));
        using var anonymous = server.CreateClient(key: null);

        // One scrape per fixture: the exporter caches its answer briefly, so a second scrape could see the first one.
        var metrics = await anonymous.GetStringAsync("/metrics", Ct);
        Assert.Contains("acorn_server_authentication_failures_total{", metrics, StringComparison.Ordinal);
        Assert.Contains($"service_name=\"{LogCapturingServerFixture.ServiceName}\"", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown_service", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_disconnects_in_the_middle_of_a_body_is_logged_at_debug_only()
    {
        var before = server.Logs.GetSnapshot().Count;
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        bound.CancelAfter(TimeSpan.FromSeconds(30));

        using (var client = new TcpClient())
        {
            await client.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port, Ct);
            var request = Encoding.ASCII.GetBytes(
                "POST /contexts HTTP/1.1\r\nHost: acorn\r\n" +
                $"Authorization: Bearer {ServerFixture.AdminKey}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n" +
                """{"id":"gone","data":{"half":""");
            await client.GetStream().WriteAsync(request, Ct);
            await client.GetStream().FlushAsync(Ct);

            // Leave while the endpoint waits for the rest of the body, as a load generator does when it stops.
            Assert.NotNull(await FirstAsync(server.Logs, before, r => r.Message.StartsWith("Executing endpoint", StringComparison.Ordinal), bound.Token));
        }

        // Kestrel reports the disconnect either as a cancelled read (ASP.NET's exception middleware logs it) or, when the
        // end of the input wins the race, as "Unexpected end of request content" (Acorn's exception handler logs it, as a
        // client gone when the connection already counts as aborted, else as a request Kestrel refused).
        var aborted = await FirstAsync(
            server.Logs,
            before,
            r => r.Id.Id == 4011 || (r.Id.Id == 4012 && r.Message.Contains("Unexpected end of request content", StringComparison.Ordinal)) || r.Message.Contains("aborted by the client", StringComparison.Ordinal),
            bound.Token);
        Assert.True(aborted is not null, "no line for the aborted request within 30 s; logged: " + Describe(server.Logs.GetSnapshot().Skip(before)));
        Assert.Equal(LogLevel.Debug, aborted.Level);
        var serious = server.Logs.GetSnapshot().Skip(before).Where(r => r.Level >= LogLevel.Warning).ToList();
        Assert.True(serious.Count == 0, Describe(serious));
    }

    /// <summary>The first record from the <paramref name="skip"/>th on that matches, or null when <paramref name="cancellationToken"/> ends the wait.</summary>
    private static async Task<FakeLogRecord?> FirstAsync(FakeLogCollector logs, int skip, Func<FakeLogRecord, bool> match, CancellationToken cancellationToken)
    {
        try
        {
            var index = 0;
            await foreach (var record in logs.GetLogsAsync(cancellationToken))
            {
                if (index++ >= skip && match(record))
                {
                    return record;
                }
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            // The bound ran out: the caller reports what was logged instead.
        }

        return null;
    }

    private static string Describe(IEnumerable<FakeLogRecord> records) =>
        string.Join(Environment.NewLine, records.Select(r => $"{r.Level} {r.Category}[{r.Id.Id}] {r.Message} {r.Exception?.GetType().Name}"));
}
