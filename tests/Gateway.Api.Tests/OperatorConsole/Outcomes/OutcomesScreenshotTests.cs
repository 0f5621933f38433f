using System.Drawing;
using Gateway.Testing;
using OpenQA.Selenium;

namespace Gateway.Api.Tests.OperatorConsole;

/// <summary>
/// Issue 19, item 6: on the sandbox's demo data (a year of referrals, <c>DemoHistory</c>) the
/// outcomes page draws real bars and a confidence interval on at least 10 people. Saves the picture
/// as TestResults/screenshots/console-outcomes.png (docs/images/ holds a copy).
/// </summary>
public sealed class OutcomesScreenshotTests(DemoConsoleApp gateway, ConsoleBrowser browser) : IClassFixture<DemoConsoleApp>, IClassFixture<ConsoleBrowser>
{
    [Fact]
    public Task The_outcomes_page_charts_the_demos_year_of_referrals() =>
        browser.RunAsync(nameof(The_outcomes_page_charts_the_demos_year_of_referrals), driver =>
        {
            driver.Manage().Cookies.DeleteAllCookies();
            driver.Manage().Window.Size = new Size(1400, 2350);
            driver.Navigate().GoToUrl(new Uri(gateway.Root, "console/login"));
            driver.FindElement(By.Id("user")).SendKeys(DemoConsoleApp.OpsUser);
            driver.FindElement(By.Id("password")).SendKeys(SandboxGatewayApp.OpsPassword);
            ConsoleBrowser.ClickToNextPage(driver, driver.FindElement(By.CssSelector("#login button")));
            ConsoleBrowser.ClickToNextPage(driver, driver.FindElement(By.LinkText("Outcomes")));

            Assert.True(int.Parse(driver.FindElement(By.Id("received-total")).Text, System.Globalization.CultureInfo.InvariantCulture) >= 100,
                "The demo's year of referrals is not there.");
            Assert.True(driver.FindElements(By.CssSelector("#states-by-month svg rect.bar")).Count >= 24, "The months are not drawn as stacked bars.");
            var people = driver.FindElements(By.CssSelector("#wellbeing table tbody tr"))
                .Select(r => r.FindElements(By.TagName("td"))).Where(c => c[2].Text.Contains(" to ", StringComparison.Ordinal))
                .Select(c => int.Parse(c[0].Text, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Contains(people, n => n >= 10);

            var folder = Path.Combine(Repository.Root, "TestResults", "screenshots");
            Directory.CreateDirectory(folder);
            ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(Path.Combine(folder, "console-outcomes.png"));
            return Task.CompletedTask;
        });
}
