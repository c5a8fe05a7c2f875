using Microsoft.Playwright;

namespace Acorn.Server.Tests.Browser;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>) driven headless by Playwright, launched once per test class on first
/// use. Playwright never downloads a browser here: a test fails, naming the package to install, when it is missing.
/// </summary>
public sealed class DebianChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>A fresh page in its own browser context (own session storage), recording uncaught script errors.</summary>
    public async Task<BrowserPage> NewPageAsync()
    {
        var browser = await GetBrowserAsync();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        return new BrowserPage(context, page);
    }

    private async Task<IBrowser> GetBrowserAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            Assert.Fail($"{ExecutablePath} is missing: the dashboard browser tests drive Debian's Chromium. Install it with 'apt-get install -y chromium' (test.sh does when run as root).");
        }

        await _gate.WaitAsync();
        try
        {
            if (_browser is null)
            {
                // Auto-waiting assertions get room on a loaded two-core machine; each still returns as soon as it holds.
                Assertions.SetDefaultExpectTimeout(20_000);
                _playwright = await Playwright.CreateAsync();
                _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = ExecutablePath,
                    Headless = true,
                    Timeout = 60_000,
                });
            }

            return _browser;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        _gate.Dispose();
    }
}

/// <summary>One page in its own browser context; disposing closes the context.</summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _scriptErrors = [];

    public BrowserPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.PageError += (_, error) =>
        {
            lock (_scriptErrors)
            {
                _scriptErrors.Add(error);
            }
        };
    }

    public IPage Page { get; }

    /// <summary>Uncaught errors thrown by the page's scripts so far.</summary>
    public IReadOnlyList<string> ScriptErrors
    {
        get
        {
            lock (_scriptErrors)
            {
                return [.. _scriptErrors];
            }
        }
    }

    public ValueTask DisposeAsync() => _context.DisposeAsync();
}
