using Gateway.Api.Tests.OperatorConsole;
using Gateway.Testing;
using OpenQA.Selenium;

namespace Gateway.Api.Tests.Sandbox;

/// <summary>
/// Issue 21, item 3, in a real headless chromium: the gateway's address opens a start page with
/// the banner's links, and a FHIR answer opened from it reads as pretty-printed JSON, escaped.
/// </summary>
public sealed class BrowserViewBrowserTests(SandboxGatewayApp sandbox, ConsoleBrowser browser) : IClassFixture<SandboxGatewayApp>, IClassFixture<ConsoleBrowser>
{
    [Fact]
    public Task The_start_page_links_to_the_capability_statement_which_reads_as_pretty_json() =>
        browser.RunAsync(nameof(The_start_page_links_to_the_capability_statement_which_reads_as_pretty_json), async driver =>
        {
            driver.Navigate().GoToUrl(sandbox.Root);
            Assert.Equal("Interop Gateway", driver.Title);
            var links = driver.FindElements(By.CssSelector("#links a")).Select(a => a.Text).ToList();
            Assert.Equal(["CapabilityStatement", "SMART configuration", "API reference", "Operator console", "Jobs dashboard", "Readiness"], links);

            ConsoleBrowser.ClickToNextPage(driver, driver.FindElement(By.LinkText("CapabilityStatement")));

            Assert.Equal("HTTP 200 OK", driver.FindElement(By.Id("status")).Text);
            var body = driver.FindElement(By.Id("body")).Text;
            Assert.StartsWith("{\n  \"resourceType\": \"CapabilityStatement\",", body, StringComparison.Ordinal);
            driver.FindElement(By.Id("raw-json"));
            await Task.CompletedTask;
        });

    [Fact]
    public Task What_the_answer_says_is_shown_as_text_never_run_as_markup() =>
        browser.RunAsync(nameof(What_the_answer_says_is_shown_as_text_never_run_as_markup), async driver =>
        {
            // The 404's OperationOutcome quotes the path it was given.
            driver.Navigate().GoToUrl(new Uri(sandbox.Root, "fhir/Patient/x/<b id=\"injected\">bold</b>"));

            Assert.Equal("HTTP 404 Not Found", driver.FindElement(By.Id("status")).Text);
            Assert.Contains("\"resourceType\": \"OperationOutcome\"", driver.FindElement(By.Id("body")).Text, StringComparison.Ordinal);
            Assert.Empty(driver.FindElements(By.Id("injected")));
            await Task.CompletedTask;
        });
}
