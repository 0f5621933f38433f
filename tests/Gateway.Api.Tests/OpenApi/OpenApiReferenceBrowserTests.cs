using System.Text.RegularExpressions;
using Gateway.Api.Tests.OperatorConsole;
using Gateway.Testing;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace Gateway.Api.Tests.OpenApi;

/// <summary>
/// Issue 21, item 10: the API reference at /openapi, rendered in chromium on a loopback address
/// (where Scalar shows its developer toolbar by default), offers none of Scalar's hosted services.
/// </summary>
public sealed class OpenApiReferenceBrowserTests(GatewayApp gateway, ConsoleBrowser browser) : IClassFixture<GatewayApp>, IClassFixture<ConsoleBrowser>
{
    private static readonly string[] Hidden = ["Ask AI", "Generate SDK", "Deploy", "Share"];

    [Fact]
    public Task The_reference_has_no_ask_ai_generate_sdk_deploy_or_share() =>
        browser.RunAsync(nameof(The_reference_has_no_ask_ai_generate_sdk_deploy_or_share), driver =>
        {
            driver.Navigate().GoToUrl(new Uri(gateway.Root, "openapi"));
            // Rendered by script: wait until the operations are on the page.
            new WebDriverWait(driver, TimeSpan.FromSeconds(60)).Until(d =>
                d.FindElement(By.TagName("body")).Text.Contains("Interop Gateway: records, token, health", StringComparison.Ordinal));

            var text = driver.FindElement(By.TagName("body")).Text;
            var labels = driver.FindElements(By.CssSelector("button, a")).Select(e => (e.Text + " " + e.GetAttribute("aria-label")).Trim()).ToList();
            foreach (var hidden in Hidden)
            {
                // Whole words, as the buttons say them ("shared/samples" in a description is no button).
                var word = new Regex($@"\b{hidden}\b");
                Assert.DoesNotContain(labels, l => word.IsMatch(l));
                Assert.DoesNotMatch(word, text);
            }

            return Task.CompletedTask;
        });
}
