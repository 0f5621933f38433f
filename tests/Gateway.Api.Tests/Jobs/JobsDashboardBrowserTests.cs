using Gateway.Api.Tests.OperatorConsole;
using Gateway.Jobs.Retention;
using Gateway.Testing;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace Gateway.Api.Tests.Jobs;

/// <summary>
/// Issue 21, item 7: the Hangfire dashboard in a real chromium. Its statistics refresh and its
/// "Trigger now" are POSTs its own script sends with an antiforgery token; the console's
/// antiforgery cookie, scoped to /console, never reached /jobs, so both were refused with 403.
/// </summary>
public sealed class JobsDashboardBrowserTests(JobsGatewayApp gateway, ConsoleBrowser browser) : IClassFixture<JobsGatewayApp>, IClassFixture<ConsoleBrowser>
{
    private static readonly TimeSpan JobWait = TimeSpan.FromSeconds(60);

    [Fact]
    public Task The_dashboard_refreshes_its_statistics_and_triggers_a_recurring_job_now() =>
        browser.RunAsync(nameof(The_dashboard_refreshes_its_statistics_and_triggers_a_recurring_job_now), driver =>
        {
            driver.Manage().Cookies.DeleteAllCookies();
            // The browser's own Basic login, as an operator opening /jobs types it into the prompt.
            var root = new UriBuilder(gateway.Root) { UserName = Uri.EscapeDataString(TestPartners.OperatorUser), Password = Uri.EscapeDataString(TestPartners.OperatorPassword) }.Uri;
            driver.Navigate().GoToUrl(new Uri(root, "jobs"));

            // The home page's counters are empty in its HTML: only the statistics refresh (POST /jobs/stats) fills them.
            var succeededBefore = WaitForSucceededCount(driver, _ => true);
            Assert.False(driver.FindElement(By.Id("errorAlert")).Displayed, "The dashboard shows an error: " + driver.FindElement(By.Id("errorAlert")).Text);

            driver.Navigate().GoToUrl(new Uri(root, "jobs/recurring"));
            var row = driver.FindElements(By.CssSelector(".js-jobs-list-row")).Single(r => r.Text.Contains(RetentionJob.Id, StringComparison.Ordinal));
            row.FindElement(By.CssSelector("input.js-jobs-list-checkbox")).Click();
            var trigger = driver.FindElements(By.CssSelector("button.js-jobs-list-command")).Single(b => b.Text.Contains("Trigger now", StringComparison.Ordinal));
            // The page reloads once the POST succeeded.
            ConsoleBrowser.ClickToNextPage(driver, trigger, JobWait);

            Assert.NotNull(TriggeredJob());
            driver.Navigate().GoToUrl(new Uri(root, "jobs"));
            WaitForSucceededCount(driver, count => count > succeededBefore);
            Assert.False(driver.FindElement(By.Id("errorAlert")).Displayed);
            return Task.CompletedTask;
        });

    private static long WaitForSucceededCount(IWebDriver driver, Func<long, bool> until)
    {
        long count = -1;
        new WebDriverWait(driver, JobWait).Until(d =>
        {
            var text = ((IJavaScriptExecutor)d).ExecuteScript("return document.querySelector('[data-metric=\"succeeded:count\"]').textContent") as string;
            return long.TryParse(text?.Replace(",", "", StringComparison.Ordinal), out count) && until(count);
        });
        return count;
    }

    // Trigger now enqueues the job at once and notes it as the recurring job's last one.
    private string? TriggeredJob()
    {
        using var connection = gateway.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetRecurringJobs([RetentionJob.Id]).Single().LastJobId;
    }
}
