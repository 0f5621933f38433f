using System.Drawing;
using Gateway.Testing;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace Gateway.Api.Tests.OperatorConsole;

/// <summary>
/// Issue 21: on the sandbox's demo data, the console home draws the demo's state in charts and
/// /jobs shows live statistics. Saves both pictures under TestResults/screenshots/ (docs/images/ holds copies).
/// </summary>
public sealed class ConsoleScreenshotTests(DemoConsoleApp gateway, ConsoleBrowser browser) : IClassFixture<DemoConsoleApp>, IClassFixture<ConsoleBrowser>
{
    [Fact]
    public Task The_console_home_draws_the_demos_referrals_and_jobs_shows_live_statistics() =>
        browser.RunAsync(nameof(The_console_home_draws_the_demos_referrals_and_jobs_shows_live_statistics), driver =>
        {
            driver.Manage().Cookies.DeleteAllCookies();
            driver.Manage().Window.Size = new Size(1400, 1250);
            driver.Navigate().GoToUrl(new Uri(gateway.Root, "console/login"));
            driver.FindElement(By.Id("user")).SendKeys(DemoConsoleApp.OpsUser);
            driver.FindElement(By.Id("password")).SendKeys(SandboxGatewayApp.OpsPassword);
            ConsoleBrowser.ClickToNextPage(driver, driver.FindElement(By.CssSelector("#login button")));

            Assert.Equal("How things stand", driver.FindElement(By.TagName("h1")).Text);
            var states = driver.FindElement(By.Id("referral-states"));
            Assert.NotEmpty(states.FindElements(By.CssSelector("svg rect.bar")));
            Assert.True(states.FindElement(By.TagName("svg")).Size.Width > 200, "The referrals chart is not drawn at a readable size.");
            Assert.NotEqual("0", driver.FindElement(By.CssSelector("#open-referrals .count")).Text);
            Save(driver, "console-home");

            var jobs = new UriBuilder(gateway.Root) { UserName = DemoConsoleApp.OpsUser, Password = Uri.EscapeDataString(SandboxGatewayApp.OpsPassword) }.Uri;
            driver.Manage().Window.Size = new Size(1400, 1000);
            driver.Navigate().GoToUrl(new Uri(jobs, "jobs"));
            new WebDriverWait(driver, TimeSpan.FromSeconds(60)).Until(d =>
                ((IJavaScriptExecutor)d).ExecuteScript("return document.querySelector('[data-metric=\"succeeded:count\"]').textContent") is string { Length: > 0 });
            Assert.False(driver.FindElement(By.Id("errorAlert")).Displayed);
            Save(driver, "jobs");
            return Task.CompletedTask;
        });

    private static void Save(IWebDriver driver, string name)
    {
        var folder = Path.Combine(Repository.Root, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(Path.Combine(folder, name + ".png"));
    }
}
