using System.Net;
using OtpNet;

namespace AuthPlatform.Operations.Tests;

/// <summary>
/// What an operator sees in the Aspire dashboard of the AppHost while people sign up and sign in: every resource,
/// one trace per request across the gateway, account and mfa (W3C trace context over HTTP), the notification
/// worker's consume span continuing account's publish over RabbitMQ (MassTransit), and the platform's own metrics.
/// Read back through the dashboard's telemetry API and its pages, as the dashboard received them over OTLP.
/// </summary>
public sealed class DashboardTelemetryTests(ObservedPlatform observed) : IClassFixture<ObservedPlatform>
{
    private static readonly string[] Services = ["gateway", "account", "mfa", "verification", "notification"];

    private PlatformFixture Platform => observed.Platform;

    private DashboardTelemetry Telemetry => observed.Telemetry;

    [Fact]
    public async Task A_sign_in_with_MFA_is_one_trace_through_gateway_account_and_mfa_and_the_dashboard_shows_resources_and_metrics()
    {
        var (email, recoveryCode) = await CreateAccountWithTotpAsync();

        using var signIn = await Platform.Gateway.PostAsJsonAsync("/api/sessions", new { email, password = AccountClient.GoodPassword });
        signIn.StatusCode.ShouldBe(HttpStatusCode.OK);
        var mfaToken = (await AccountClient.JsonAsync(signIn)).GetProperty("mfaToken").GetString()!;
        using var secondStep = await Platform.Gateway.PostAsJsonAsync("/api/sessions/mfa", new { mfaToken, method = "recovery_code", code = recoveryCode });
        secondStep.StatusCode.ShouldBe(HttpStatusCode.OK, await secondStep.Content.ReadAsStringAsync());

        // The second step: the gateway's span of /api/sessions/mfa, account's, and mfa's (asked over /internal), one trace.
        IGrouping<string, DashboardSpan>? trace = null;
        await PlatformFixture.EventuallyAsync("the dashboard holds a sign-in trace with spans of gateway, account and mfa", async () =>
        {
            trace = TracesWith(await Telemetry.SpansAsync(), "gateway", "account", "mfa")
                .FirstOrDefault(t => t.Any(s => s.Service == "gateway" && s.Name.Contains("/api/sessions", StringComparison.Ordinal)));
            return trace is not null;
        });
        trace!.Select(s => s.Service).Distinct().ShouldBe(["gateway", "account", "mfa"], ignoreOrder: true);
        var spanIds = trace!.Select(s => s.SpanId).ToHashSet();
        trace!.Where(s => s.Service != "gateway").ShouldAllBe(s => spanIds.Contains(s.ParentSpanId),
            "account's and mfa's spans continue a span of the same trace (traceparent over HTTP)");

        await PlatformFixture.EventuallyAsync("every service's metrics reached the dashboard", async () =>
            (await Telemetry.ResourcesAsync()).Where(r => r!["hasMetrics"]!.GetValue<bool>())
                .Select(r => r!["name"]!.GetValue<string>()).Intersect(Services).Count() == Services.Length);

        await using var browser = await HeadlessChromium.StartAsync();
        // The resources page: the servers, every service and both MFA replicas, each running.
        var resources = await browser.ReadAsync(Platform.DashboardAddress!, text => ResourceNames.All(text.Contains), TimeSpan.FromSeconds(60));
        ResourceNames.ShouldAllBe(name => resources.Contains(name), "the dashboard lists every resource");
        resources.ShouldContain("Running");
        await ShowsInstrumentsAsync(browser, "account", "authplatform.account.sign_ins");
        await ShowsInstrumentsAsync(browser, "mfa", "authplatform.mfa.verifications", "authplatform.mfa.totp_replays_rejected");
        await ShowsInstrumentsAsync(browser, "notification", "authplatform.notification.deliveries", "authplatform.notification.queue.depth");
        await ScreenshotsAsync(browser, trace!.Key);
    }

    [Fact]
    public async Task A_sign_up_is_one_trace_from_accounts_publish_across_RabbitMQ_to_the_notification_worker_that_sends_its_email()
    {
        var email = PlatformFixture.NewEmail("traced");
        using var signUp = await new AccountClient(Platform).SignUpAsync(email);
        signUp.IsSuccessStatusCode.ShouldBeTrue();
        await Platform.Mailbox.WaitForAsync(email, "Verify your email");

        // account publishes the sign-up (from its outbox), verification consumes it and sends the email command,
        // notification consumes that: each consume span's parent is the sending service's span, carried in the
        // message headers (traceparent) by MassTransit.
        IReadOnlyList<DashboardSpan> spans = [];
        try
        {
            await PlatformFixture.EventuallyAsync("the dashboard holds a trace from account's publish to notification's consume", async () =>
            {
                spans = await Telemetry.SpansAsync();
                return SentAcrossTheBus(spans).Any();
            });
        }
        catch (TimeoutException)
        {
            throw new ShouldAssertException("No notification span descends from an account span. MassTransit spans the dashboard holds:\n"
                + string.Join("\n", spans.Where(s => s.Scope == "MassTransit").Select(s => $"{s.Service} '{s.Name}' trace {s.TraceId} span {s.SpanId} parent {s.ParentSpanId}")));
        }
    }

    /// <summary>Traces in which a MassTransit span of notification descends from account's MassTransit span.</summary>
    private static IEnumerable<string> SentAcrossTheBus(IReadOnlyList<DashboardSpan> spans) =>
        spans.GroupBy(s => s.TraceId).Where(trace =>
        {
            var byId = trace.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
            return trace.Any(s => s.Service == "notification" && s.Scope == "MassTransit"
                && Ancestors(s, byId).Any(a => a.Service == "account" && a.Scope == "MassTransit"));
        }).Select(trace => trace.Key);

    private static IEnumerable<DashboardSpan> Ancestors(DashboardSpan span, Dictionary<string, DashboardSpan> byId)
    {
        while (byId.TryGetValue(span.ParentSpanId, out var parent))
        {
            yield return parent;
            span = parent;
        }
    }

    private static readonly string[] ResourceNames = ["postgres", "redis", "eventbus", "maildev", "account", "verification", "mfa-0", "mfa-1", "notification", "gateway"];

    private static IEnumerable<IGrouping<string, DashboardSpan>> TracesWith(IEnumerable<DashboardSpan> spans, params string[] services) =>
        spans.GroupBy(s => s.TraceId).Where(trace => services.All(service => trace.Any(s => s.Service == service)));

    /// <summary>
    /// The dashboard's metrics pages of one service list these instruments, as an operator would see them. With replicas
    /// (mfa) each instance has its page, and an instrument shows on the instances that recorded it.
    /// </summary>
    private async Task ShowsInstrumentsAsync(HeadlessChromium browser, string service, params string[] instruments)
    {
        var instances = (await Telemetry.ResourcesAsync()).Where(r => r!["name"]!.GetValue<string>() == service)
            .Select(r => r!["displayName"]!.GetValue<string>()).ToList();
        instances.ShouldNotBeEmpty();
        var shown = "";
        foreach (var instance in instances)
        {
            shown += await browser.ReadAsync(new Uri(Platform.DashboardAddress!, $"/metrics/resource/{Uri.EscapeDataString(instance)}"),
                text => instruments.All(i => text.Contains(i, StringComparison.Ordinal)), TimeSpan.FromSeconds(instances.Count > 1 ? 20 : 60));
        }
        foreach (var instrument in instruments)
        {
            shown.ShouldContain(instrument, Case.Sensitive, $"the dashboard lists {service}'s {instrument}");
        }
    }

    /// <summary>Pictures of the dashboard for docs/operations.md (artifacts/screenshots/).</summary>
    private async Task ScreenshotsAsync(HeadlessChromium browser, string traceId)
    {
        var folder = Path.Combine(Platform.RepositoryRoot, "artifacts", "screenshots");
        var dashboard = Platform.DashboardAddress!;
        await browser.OpenAsync(dashboard, "gateway", "mfa-1");
        await browser.ScreenshotAsync(Path.Combine(folder, "dashboard-resources.png"));
        // The gateway's sign-in traces (its own health probes of the replicas crowd the list otherwise), once drawn.
        await browser.ReadAsync(new Uri(dashboard, "/traces/resource/gateway?filters=" + Uri.EscapeDataString("trace.name:contains:/api/sessions")),
            text => text.Contains("POST /api/sessions", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1)); // the span bars draw after the text
        await browser.ScreenshotAsync(Path.Combine(folder, "dashboard-traces.png"));
        await browser.OpenAsync(new Uri(dashboard, $"/traces/detail/{traceId}"), "account", "mfa");
        await browser.ScreenshotAsync(Path.Combine(folder, "dashboard-trace.png"));
        var account = (await Telemetry.ResourcesAsync()).First(r => r!["name"]!.GetValue<string>() == "account")!["displayName"]!.GetValue<string>();
        await browser.OpenAsync(new Uri(dashboard,
            $"/metrics/resource/{Uri.EscapeDataString(account)}?meter=AuthPlatform.Account&instrument=authplatform.account.sign_ins&duration=5"),
            "authplatform.account.sign_ins");
        await Task.Delay(TimeSpan.FromSeconds(3)); // the chart draws after the text
        await browser.ScreenshotAsync(Path.Combine(folder, "dashboard-metrics.png"));
    }

    /// <summary>A verified account with authenticator-app 2FA; a TOTP code replayed once, so the replay counter moves too.</summary>
    private async Task<(string Email, string RecoveryCode)> CreateAccountWithTotpAsync()
    {
        var accounts = new AccountClient(Platform);
        var (email, tokens) = await accounts.CreateVerifiedAccountAsync("observed");
        using var start = await accounts.SendAsync(HttpMethod.Post, "/api/mfa/totp", tokens.AccessToken, new { });
        start.StatusCode.ShouldBe(HttpStatusCode.OK);
        var totp = new Totp(Base32Encoding.ToBytes((await AccountClient.JsonAsync(start)).GetProperty("secret").GetString()!));
        var code = totp.ComputeTotp();
        using var confirm = await accounts.SendAsync(HttpMethod.Post, "/api/mfa/totp/confirm", tokens.AccessToken, new { code });
        confirm.StatusCode.ShouldBe(HttpStatusCode.OK, await confirm.Content.ReadAsStringAsync());
        var recoveryCode = (await AccountClient.JsonAsync(confirm)).GetProperty("recoveryCodes")[0].GetString()!;

        using var signIn = await Platform.Gateway.PostAsJsonAsync("/api/sessions", new { email, password = AccountClient.GoodPassword });
        var mfaToken = (await AccountClient.JsonAsync(signIn)).GetProperty("mfaToken").GetString()!;
        using var replay = await Platform.Gateway.PostAsJsonAsync("/api/sessions/mfa", new { mfaToken, method = "totp", code });
        replay.IsSuccessStatusCode.ShouldBeFalse("a TOTP code is good once");
        return (email, recoveryCode);
    }
}
