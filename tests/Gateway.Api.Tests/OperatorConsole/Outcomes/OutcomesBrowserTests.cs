using Gateway.Testing;
using OpenQA.Selenium;

namespace Gateway.Api.Tests.OperatorConsole;

/// <summary>
/// Issue 19, item 6, in a real headless chromium: the outcomes page on a store with known numbers
/// (<see cref="OutcomesGateway"/>) for an operator, and for a commissioner login, which sees its
/// area only and nothing else of the console.
/// </summary>
public sealed class OutcomesBrowserTests(OutcomesGateway gateway, ConsoleBrowser browser) : IClassFixture<OutcomesGateway>, IClassFixture<ConsoleBrowser>
{
    // The pages of the navigation a commissioner does not have (OutcomesPageTests tries every route).
    private static readonly string[] OperatorPages = ["console", "console/referrals", "console/records", "console/partners", "console/subscriptions", "console/directory"];

    [Fact]
    public Task An_operator_opens_outcomes_from_the_navigation_and_reads_the_charts_and_their_tables() =>
        browser.RunAsync(nameof(An_operator_opens_outcomes_from_the_navigation_and_reads_the_charts_and_their_tables), driver =>
        {
            LogIn(driver, TestPartners.OperatorUser, TestPartners.OperatorPassword);
            ConsoleBrowser.ClickToNextPage(driver, driver.FindElement(By.LinkText("Outcomes")));

            Assert.Equal("Outcomes", driver.FindElement(By.TagName("h1")).Text);
            Assert.Equal("23", driver.FindElement(By.Id("received-total")).Text);
            Assert.Equal("Wellbeing change, first to last measurement", SvgTitle(driver, "wellbeing"));
            Assert.Equal("Referrals by state, per month of referral", SvgTitle(driver, "states-by-month"));
            Assert.NotEmpty(driver.FindElements(By.CssSelector("#states-by-practice svg rect.bar")));
            Assert.NotEmpty(driver.FindElements(By.CssSelector("#wellbeing svg line.interval")));
            // Satisfied changed by 1 2 3 0 2 1 4 2 3 2: mean 2, 95 % CI 1.17 to 2.83 (EvaluateMeasureTests works it out by hand).
            Assert.Equal(["ONS4 satisfied", "10", "2", "1.17 to 2.83"], Row(driver, "wellbeing", "ONS4 satisfied"));
            // Three declined: a cell of 3 is suppressed on the page.
            Assert.Equal(["declined: no-capacity", "<5"], Row(driver, "endings", "declined: no-capacity"));
            Assert.Contains(TestPartners.OtherGp, driver.FindElement(By.Id("practice")).Text, StringComparison.Ordinal);
            return Task.CompletedTask;
        });

    [Fact]
    public Task A_commissioner_login_lands_on_its_areas_outcomes_and_is_refused_the_rest_of_the_console() =>
        browser.RunAsync(nameof(A_commissioner_login_lands_on_its_areas_outcomes_and_is_refused_the_rest_of_the_console), driver =>
        {
            LogIn(driver, TestPartners.CommissionerUser, TestPartners.CommissionerPassword);

            Assert.EndsWith("/console/outcomes", driver.Url, StringComparison.Ordinal);
            Assert.Equal("16", driver.FindElement(By.Id("received-total")).Text);
            Assert.Equal(["Outcomes"], driver.FindElements(By.CssSelector("header nav a")).Select(a => a.Text));
            Assert.DoesNotContain(TestPartners.OtherGp, driver.FindElement(By.Id("practice")).Text, StringComparison.Ordinal);
            Assert.DoesNotContain("WS1", driver.FindElement(By.Id("area")).Text, StringComparison.Ordinal);
            Assert.Equal(["declined: no-capacity", "<5"], Row(driver, "endings", "declined: no-capacity"));

            foreach (var path in OperatorPages)
            {
                driver.Navigate().GoToUrl(new Uri(gateway.Root, path));
                Assert.StartsWith("403:", driver.FindElement(By.TagName("body")).Text, StringComparison.Ordinal);
            }

            return Task.CompletedTask;
        });

    private void LogIn(IWebDriver driver, string user, string password)
    {
        driver.Manage().Cookies.DeleteAllCookies();
        driver.Navigate().GoToUrl(new Uri(gateway.Root, "console/login"));
        driver.FindElement(By.Id("user")).SendKeys(user);
        driver.FindElement(By.Id("password")).SendKeys(password);
        ConsoleBrowser.ClickToNextPage(driver, driver.FindElement(By.CssSelector("#login button")));
        driver.FindElement(By.TagName("nav"));
    }

    private static string? SvgTitle(IWebDriver driver, string chart) =>
        driver.FindElement(By.Id(chart + "-title")).GetDomProperty("textContent");

    // A row of a chart's table fallback, found by its heading cell.
    private static string[] Row(IWebDriver driver, string chart, string heading) =>
        driver.FindElements(By.CssSelector($"#{chart} table tbody tr"))
            .Select(r => r.FindElements(By.CssSelector("th, td")).Select(c => c.GetDomProperty("textContent")!.Trim()).ToArray())
            .Single(cells => cells[0] == heading);
}
