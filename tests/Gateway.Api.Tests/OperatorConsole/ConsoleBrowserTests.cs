using Gateway.Testing;
using OpenQA.Selenium;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Api.Tests.OperatorConsole;

/// <summary>
/// Issue 10, item 5: the operator console in a real headless chromium. Log in, find a referral and
/// read its timeline, replay a rejected record once what it named exists, see a failing Subscription.
/// </summary>
public sealed class ConsoleBrowserTests(DeliveryGatewayApp gateway, ConsoleBrowser browser) : IClassFixture<DeliveryGatewayApp>, IClassFixture<ConsoleBrowser>
{
    [Fact]
    public Task An_operator_logs_in_a_wrong_password_is_refused_and_logging_out_locks_the_pages_again() =>
        browser.RunAsync(nameof(An_operator_logs_in_a_wrong_password_is_refused_and_logging_out_locks_the_pages_again), async driver =>
        {
            driver.Manage().Cookies.DeleteAllCookies();
            Open(driver, "console/partners");
            Assert.Contains("/console/login", driver.Url, StringComparison.Ordinal);

            Submit(driver, TestPartners.OperatorUser, "not the password");
            Assert.Equal("The user name or password is not right.", driver.FindElement(By.Id("login-error")).Text);
            Assert.DoesNotContain("<nav>", driver.PageSource, StringComparison.Ordinal);

            Submit(driver, TestPartners.OperatorUser, TestPartners.OperatorPassword);
            Assert.Equal(TestPartners.OperatorUser, driver.FindElement(By.Id("operator")).Text);
            Assert.EndsWith("/console/partners", driver.Url, StringComparison.Ordinal);
            var housing = driver.FindElements(By.CssSelector("#partners tbody tr")).Single(r => r.Text.Contains(TestPartners.Housing, StringComparison.Ordinal));
            Assert.Contains("housing-case/v1", housing.Text, StringComparison.Ordinal);

            ConsoleBrowser.ClickToNextPage(driver, driver.FindElement(By.CssSelector("form.logout button")));
            driver.FindElement(By.Id("login"));
            Open(driver, "console/records");
            Assert.Contains("/console/login", driver.Url, StringComparison.Ordinal);
            await Task.CompletedTask;
        });

    [Fact]
    public Task An_operator_finds_a_referral_by_nhs_number_and_reads_its_timeline() =>
        browser.RunAsync(nameof(An_operator_finds_a_referral_by_nhs_number_and_reads_its_timeline), async driver =>
        {
            var nhs = Resources.NewNhsNumber();
            var referralId = "SP-" + Guid.NewGuid().ToString("N");
            var taskId = await ConsoleReferrals.SendAsync(gateway.Client, nhs, referralId);
            var (recordId, outcome) = await ConsoleReferrals.PostCaseAsync(await gateway.CreateClientAsync(TestPartners.Housing), referralId, nhs);
            Assert.Equal("accepted", outcome);
            LogIn(driver);

            Open(driver, "console/referrals");
            driver.FindElement(By.Id("q")).SendKeys(nhs);
            ConsoleBrowser.ClickToNextPage(driver, driver.FindElement(By.CssSelector("#referral-search button")));
            ConsoleBrowser.ClickToNextPage(driver, driver.FindElement(By.LinkText($"Task/{taskId}")));

            Assert.Equal($"Task/{taskId}", driver.FindElement(By.Id("task")).Text);
            var rows = driver.FindElements(By.CssSelector("#timeline tbody tr")).Select(r => (Kind: r.GetAttribute("class"), r.Text)).ToList();
            var versions = rows.Where(r => r.Kind == "task-version").Select(r => r.Text).ToList();
            Assert.Contains("Task version 1: requested", versions[0], StringComparison.Ordinal);
            Assert.Contains("in-progress", versions[^1], StringComparison.Ordinal);
            Assert.Contains($"{TestPartners.Housing} (client {TestPartners.Housing}-client) via gateway (partner-records)", versions[^1], StringComparison.Ordinal);
            var record = rows.FindIndex(r => r.Kind == "record" && r.Text.Contains(recordId, StringComparison.Ordinal));
            Assert.Contains($"housing-case/v1 record from {TestPartners.Housing} (api): applied", rows[record].Text, StringComparison.Ordinal);
            Assert.True(record < rows.FindLastIndex(r => r.Kind == "task-version"), "The record comes before the Task version it wrote.");
            Assert.Contains(rows, r => r.Kind == "provenance" && r.Text.Contains("Applied housing-case/v1 record", StringComparison.Ordinal));
            Assert.Contains(rows, r => r.Kind == "delivery" && r.Text.Contains($"referral-webhook of Task/{taskId}/_history/1 to webhook/{TestPartners.Housing}", StringComparison.Ordinal));
        });

    [Fact]
    public Task A_rejected_record_is_replayed_from_the_console_once_the_referral_it_names_exists() =>
        browser.RunAsync(nameof(A_rejected_record_is_replayed_from_the_console_once_the_referral_it_names_exists), async driver =>
        {
            var nhs = Resources.NewNhsNumber();
            var referralId = "SP-" + Guid.NewGuid().ToString("N");
            var housing = await gateway.CreateClientAsync(TestPartners.Housing);
            // The provider's update overtook the GP's referral: nothing to link it to yet.
            var (recordId, outcome) = await ConsoleReferrals.PostCaseAsync(housing, referralId, nhs);
            Assert.Equal("rejected", outcome);
            var taskId = await ConsoleReferrals.SendAsync(gateway.Client, nhs, referralId);
            LogIn(driver);

            Open(driver, "console/records");
            var row = driver.FindElements(By.CssSelector("#rejected-records tbody tr")).Single(r => r.Text.Contains(recordId, StringComparison.Ordinal));
            Assert.Contains("$.referral unknown-referral", row.Text, StringComparison.Ordinal);
            Assert.Contains(TestPartners.Housing, row.Text, StringComparison.Ordinal);
            ConsoleBrowser.ClickToNextPage(driver, row.FindElement(By.CssSelector("button[name=replay]")));

            Assert.Equal("Replayed: accepted.", driver.FindElement(By.Id("replay-outcome")).Text);
            Assert.Equal("applied", driver.FindElement(By.Id("record-state")).Text);
            Assert.Contains($"Task/{taskId}/_history/", driver.FindElement(By.Id("record")).Text, StringComparison.Ordinal);
            Assert.Equal(FhirTask.TaskStatus.InProgress, (await (await gateway.Client.GetAsync($"Task/{taskId}")).ReadResourceAsync<FhirTask>()).Status);
            Open(driver, "console/records");
            Assert.DoesNotContain(recordId, driver.FindElement(By.TagName("main")).Text, StringComparison.Ordinal);
            await AuditedAsync(recordId);
        });

    [Fact]
    public Task What_a_partner_sent_is_shown_as_text_never_as_markup() =>
        browser.RunAsync(nameof(What_a_partner_sent_is_shown_as_text_never_as_markup), async driver =>
        {
            var markup = "<b id=\"injected\">engaged</b>";
            var record = System.Text.Json.Nodes.JsonNode.Parse(Records.RecordHttp.HousingCase("01-engaged-with-ons4.json", "SP-" + Guid.NewGuid().ToString("N"), Resources.NewNhsNumber()))!;
            record["status"] = markup;
            string recordId;
            using (var response = await Records.RecordHttp.PostRecordAsync(await gateway.CreateClientAsync(TestPartners.Housing), record.ToJsonString()))
            {
                recordId = response.Headers.Location!.ToString().Split('/')[^1];
            }

            LogIn(driver);

            Open(driver, $"console/records/{recordId}");

            Assert.Contains($"'{markup}' is not a known status", driver.FindElement(By.Id("record-issues")).Text, StringComparison.Ordinal);
            driver.Manage().Timeouts().ImplicitWait = TimeSpan.Zero;
            try
            {
                Assert.Empty(driver.FindElements(By.Id("injected")));
            }
            finally
            {
                driver.Manage().Timeouts().ImplicitWait = ConsoleBrowser.ElementWait;
            }
        });

    [Fact]
    public Task A_subscription_whose_endpoint_keeps_failing_is_listed_with_its_reason() =>
        browser.RunAsync(nameof(A_subscription_whose_endpoint_keeps_failing_is_listed_with_its_reason), async driver =>
        {
            var path = $"console/{Guid.NewGuid():N}";
            gateway.Receiver.FailPath(path);
            var subscription = await gateway.Client.CreateAsync(Subscriptions.Subscriptions.RestHook("Task?status=accepted", gateway.Receiver.Url(path)));
            await Subscriptions.Subscriptions.WaitForAsync(gateway.Client, subscription.Id, s => s.Status == Hl7.Fhir.Model.Subscription.SubscriptionStatus.Error);
            LogIn(driver);

            Open(driver, "console/subscriptions");

            var row = driver.FindElements(By.CssSelector("#subscriptions-in-error tbody tr")).Single(r => r.Text.Contains($"Subscription/{subscription.Id}", StringComparison.Ordinal));
            Assert.Contains("handshake", row.Text, StringComparison.Ordinal);
            Assert.Contains("503", row.Text, StringComparison.Ordinal);
            Assert.Contains(TestPartners.Gp, row.Text, StringComparison.Ordinal);
        });

    private void Open(IWebDriver driver, string path) => driver.Navigate().GoToUrl(new Uri(gateway.Root, path));

    private void LogIn(IWebDriver driver)
    {
        driver.Manage().Cookies.DeleteAllCookies();
        Open(driver, "console/login");
        Submit(driver, TestPartners.OperatorUser, TestPartners.OperatorPassword);
        driver.FindElement(By.Id("operator"));
    }

    private static void Submit(IWebDriver driver, string user, string password)
    {
        driver.FindElement(By.Id("user")).Clear();
        driver.FindElement(By.Id("user")).SendKeys(user);
        driver.FindElement(By.Id("password")).SendKeys(password);
        ConsoleBrowser.ClickToNextPage(driver, driver.FindElement(By.CssSelector("#login button")));
    }

    // The console's replay is in the audit trail like a record API call, the operator as the client (written off the request path, so waited for).
    private async Task AuditedAsync(string recordId)
    {
        for (var tries = 0; ; tries++)
        {
            await using var command = gateway.Database.CreateCommand("""
                select count(*) from resource r join resource_version v on v.resource_key = r.resource_key and v.version = r.version
                where r.resource_type = 'AuditEvent' and v.body -> 'agent' -> 0 ->> 'altId' = $1 and v.body -> 'subtype' -> 0 ->> 'code' = 'create'
                """);
            command.Parameters.Add(new() { Value = "operator:" + TestPartners.OperatorUser });
            if ((long)(await command.ExecuteScalarAsync())! > 0)
            {
                return;
            }

            Assert.True(tries < 300, $"No AuditEvent names the operator's replay of record {recordId}.");
            await Task.Delay(100);
        }
    }
}
