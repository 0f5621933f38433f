using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Gateway.Api.Tests.OperatorConsole;

/// <summary>
/// One headless Debian chromium per test class, driven through /usr/bin/chromedriver (Selenium
/// WebDriver; nothing is downloaded). The flags keep it from reaching for the network, which is
/// closed here and would stall it. <see cref="RunAsync"/> saves a screenshot under
/// TestResults/screenshots/ when a test fails.
/// </summary>
public sealed class ConsoleBrowser : IDisposable
{
    public const string Chromium = "/usr/bin/chromium";
    public const string ChromeDriver = "/usr/bin/chromedriver";

    /// <summary>How long an element a page should show is waited for.</summary>
    public static readonly TimeSpan ElementWait = TimeSpan.FromSeconds(15);

    private readonly string _profile = Path.Combine(Path.GetTempPath(), $"gateway-console-chromium-{Guid.NewGuid():N}");

    public ConsoleBrowser()
    {
        if (!File.Exists(Chromium) || !File.Exists(ChromeDriver))
        {
            throw new InvalidOperationException(
                $"The console's browser tests need Debian's chromium and chromium-driver ({Chromium}, {ChromeDriver}): apt-get install -y chromium chromium-driver (.ci/run does).");
        }

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,1000", $"--user-data-dir={_profile}");
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(120));
        Driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(60);
        // Elements a page is expected to show are waited for (a form's answer is a new page load).
        Driver.Manage().Timeouts().ImplicitWait = ElementWait;
    }

    public IWebDriver Driver { get; }

    /// <summary>Runs a test's browser steps; on failure saves what the browser showed, then fails with the original error.</summary>
    public async Task RunAsync(string testName, Func<IWebDriver, Task> steps)
    {
        try
        {
            await steps(Driver);
        }
        catch (Exception)
        {
            SaveScreenshot(testName);
            throw;
        }
    }

    /// <summary>
    /// Clicks a link or a form's button and waits until the next page has replaced this one. Without
    /// the wait, an element looked for straight after the click (an h1, which every page has) can be
    /// found on the page being left and go stale as it unloads.
    /// </summary>
    public static void ClickToNextPage(IWebDriver driver, IWebElement element, TimeSpan? wait = null)
    {
        var page = driver.FindElement(By.TagName("html"));
        element.Click();
        new WebDriverWait(driver, wait ?? ElementWait).Until(_ => IsGone(page));
    }

    /// <summary>Whether an element's page has gone: Selenium says so only by refusing to read it.</summary>
    public static bool IsGone(IWebElement element)
    {
        try
        {
            _ = element.Enabled;
            return false;
        }
        catch (StaleElementReferenceException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // chromium may still be letting go of its profile; it is a temp folder.
        }
    }

    private void SaveScreenshot(string testName)
    {
        try
        {
            var folder = Path.Combine(RepositoryRoot(), "TestResults", "screenshots");
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, $"{testName}-{DateTimeOffset.UtcNow:yyyyMMddHHmmss}.png");
            ((ITakesScreenshot)Driver).GetScreenshot().SaveAsFile(file);
            File.WriteAllText(Path.ChangeExtension(file, ".html"), Driver.PageSource);
        }
        catch (WebDriverException)
        {
            // The browser itself is what failed: there is nothing to photograph.
        }
    }

    private static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "InteropGateway.sln")))
        {
            root = root.Parent;
        }

        return root?.FullName ?? AppContext.BaseDirectory;
    }
}
