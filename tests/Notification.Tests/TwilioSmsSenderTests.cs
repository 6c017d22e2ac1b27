using System.Diagnostics.Metrics;
using AuthPlatform.AppHost;
using AuthPlatform.Notification.Diagnostics;
using AuthPlatform.Notification.Extensions;
using AuthPlatform.Notification.Sms;
using AuthPlatform.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AuthPlatform.Notification.Tests;

// The real sender, wired as the worker wires it (typed HttpClient, no resilience handler), against a fake Twilio
// that checks the credentials and the form fields.
public sealed class TwilioSmsSenderTests : IAsyncLifetime
{
    private const string To = "+447700900123";
    private const string Code = "482913";
    private const string Body = $"{Code} is your AuthPlatform code. It expires in 3 minutes.\n\n@localhost #{Code}";

    private readonly FakeTwilio _twilio = new();
    private readonly LogCollector _logs = new();
    private readonly List<ServiceProvider> _providers = [];

    public async ValueTask InitializeAsync() => await _twilio.StartAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }
        await _twilio.DisposeAsync();
    }

    [Fact]
    public async Task A_message_is_posted_with_basic_auth_and_the_form_fields()
    {
        var result = await Sender().SendAsync(To, Body, TestContext.Current.CancellationToken);

        var sent = result.ShouldBeOfType<SmsSent>();
        sent.ProviderMessageId.ShouldMatch("^SM[0-9a-f]{32}$");
        sent.Status.ShouldBe("queued");
        sent.Attempts.ShouldBe(1);
        var message = _twilio.Messages.ShouldHaveSingleItem();
        message.Sid.ShouldBe(sent.ProviderMessageId);
        message.To.ShouldBe(To);
        message.From.ShouldBe(_twilio.From);
        message.MessagingServiceSid.ShouldBeNull();
        message.Body.ShouldBe(Body, "the body goes out as it is, new lines included");
        message.Code.ShouldBe(Code);
        _twilio.Requests.ShouldHaveSingleItem().Status.ShouldBe(201);
    }

    [Fact]
    public async Task The_sdk_posts_a_form_to_the_accounts_messages_path_with_basic_auth()
    {
        await Sender().SendAsync(To, Body, TestContext.Current.CancellationToken);

        var wire = _twilio.Requests.ShouldHaveSingleItem().Received;
        wire.Method.ShouldBe("POST");
        wire.Path.ShouldBe($"/2010-04-01/Accounts/{_twilio.AccountSid}/Messages.json");
        wire.ContentType.ShouldNotBeNull().ShouldStartWith("application/x-www-form-urlencoded");
        wire.BasicUser.ShouldBe(_twilio.AccountSid, "HTTP Basic AccountSid:AuthToken (the fake checks the token)");
        wire.UserAgent.ShouldNotBeNull().ShouldStartWith("twilio-csharp/8.2.0", Case.Sensitive, "the request is the SDK's own");
        wire.FieldNames.ShouldBe(["To", "From", "Body"]);
        wire.Form.ShouldContain(new KeyValuePair<string, string?>("To", To));
        wire.Form.ShouldContain(new KeyValuePair<string, string?>("From", _twilio.From));
    }

    [Fact]
    public async Task A_messaging_service_and_a_from_number_are_both_sent()
    {
        const string service = "MG0123456789abcdef0123456789abcdef";

        await Sender(("Twilio__MessagingServiceSid", service)).SendAsync(To, Body, TestContext.Current.CancellationToken);

        var message = _twilio.Messages.ShouldHaveSingleItem();
        message.MessagingServiceSid.ShouldBe(service);
        message.From.ShouldBe(_twilio.From, "Twilio then sends from this number of the service's pool");
    }

    [Fact]
    public async Task A_wrong_auth_token_is_a_permanent_failure_without_retries()
    {
        var result = await Sender(("Twilio__AuthToken", "not-the-token")).SendAsync(To, Body, TestContext.Current.CancellationToken);

        var failure = result.ShouldBeOfType<SmsSendFailed>();
        failure.Kind.ShouldBe(SmsFailureKind.Permanent);
        failure.HttpStatus.ShouldBe(401);
        failure.ProviderErrorCode.ShouldBe(20003);
        failure.Reason.ShouldContain("Twilio__AuthToken");
        failure.Attempts.ShouldBe(1);
        _twilio.Requests.ShouldHaveSingleItem().Status.ShouldBe(401);
        _twilio.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_wrong_account_sid_is_refused_too()
    {
        var result = await Sender(("Twilio__AccountSid", "AC" + new string('0', 32))).SendAsync(To, Body, TestContext.Current.CancellationToken);

        result.ShouldBeOfType<SmsSendFailed>().IsPermanent.ShouldBeTrue();
        _twilio.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_messaging_service_replaces_the_from_number()
    {
        const string service = "MG0123456789abcdef0123456789abcdef";

        var result = await Sender(("Twilio__From", null), ("Twilio__MessagingServiceSid", service))
            .SendAsync(To, Body, TestContext.Current.CancellationToken);

        result.ShouldBeOfType<SmsSent>().Status.ShouldBe("accepted");
        var message = _twilio.Messages.ShouldHaveSingleItem();
        message.MessagingServiceSid.ShouldBe(service);
        message.From.ShouldBeNull();
    }

    [Fact]
    public async Task Throttling_is_retried_after_the_Retry_After_that_Twilio_asks_for()
    {
        _twilio.RespondTooManyRequests(count: 1, retryAfterSeconds: 1);
        var provider = Build();
        var sender = provider.GetRequiredService<ISmsSender>();
        using var retries = new CounterRecorder(provider.GetRequiredService<IMeterFactory>(), "authplatform.notification.send.retries");

        var result = await sender.SendAsync(To, Body, TestContext.Current.CancellationToken);

        result.ShouldBeOfType<SmsSent>().Attempts.ShouldBe(2);
        var requests = _twilio.Requests;
        requests.Select(r => r.Status).ShouldBe([429, 201]);
        var waited = requests[1].ReceivedAt - requests[0].ReceivedAt;
        waited.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900), "Retry-After: 1 is honoured");
        waited.ShouldBeLessThan(TimeSpan.FromSeconds(3), "and not much more than that");
        _twilio.Messages.ShouldHaveSingleItem();
        retries.Count(DeliveryTags.Sms, "throttled").ShouldBe(1);
    }

    [Fact]
    public async Task Server_errors_are_retried_a_few_times_then_reported_as_transient()
    {
        _twilio.RespondServerError(count: 10);

        var result = await Sender(("Twilio__RetryBaseDelay", "00:00:00.05")).SendAsync(To, Body, TestContext.Current.CancellationToken);

        var failure = result.ShouldBeOfType<SmsSendFailed>();
        failure.Kind.ShouldBe(SmsFailureKind.Transient);
        failure.HttpStatus.ShouldBe(500);
        failure.Attempts.ShouldBe(3);
        _twilio.Requests.Count.ShouldBe(3, "three attempts inside the sender; then the bus takes over");
        _twilio.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_server_error_then_success_is_sent()
    {
        _twilio.RespondServerError(count: 2);

        var result = await Sender(("Twilio__RetryBaseDelay", "00:00:00.05")).SendAsync(To, Body, TestContext.Current.CancellationToken);

        result.ShouldBeOfType<SmsSent>().Attempts.ShouldBe(3);
        _twilio.Messages.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task An_invalid_number_is_permanent_and_not_retried()
    {
        _twilio.RespondInvalidTo();

        var result = await Sender().SendAsync(To, Body, TestContext.Current.CancellationToken);

        var failure = result.ShouldBeOfType<SmsSendFailed>();
        failure.Kind.ShouldBe(SmsFailureKind.Permanent);
        failure.HttpStatus.ShouldBe(400);
        failure.ProviderErrorCode.ShouldBe(21211);
        failure.Reason.ShouldContain("21211");
        failure.Attempts.ShouldBe(1);
        _twilio.Requests.Count.ShouldBe(1, "exactly one request: retrying cannot change Twilio's mind");
    }

    [Fact]
    public async Task The_failure_reason_never_quotes_twilios_message_which_contains_the_number()
    {
        // The fake itself refuses this one, with Twilio's wording: "Invalid 'To' Phone Number: +12345".
        var result = await Sender().SendAsync("+12345", Body, TestContext.Current.CancellationToken);

        var failure = result.ShouldBeOfType<SmsSendFailed>();
        failure.ProviderErrorCode.ShouldBe(21211);
        failure.Reason.ShouldNotContain("+12345");
    }

    [Fact]
    public async Task A_Retry_After_beyond_the_budget_is_left_to_the_bus()
    {
        _twilio.RespondTooManyRequests(count: 1, retryAfterSeconds: 30);
        var started = DateTime.UtcNow;

        var result = await Sender().SendAsync(To, Body, TestContext.Current.CancellationToken);

        var failure = result.ShouldBeOfType<SmsSendFailed>();
        failure.Kind.ShouldBe(SmsFailureKind.Transient);
        failure.HttpStatus.ShouldBe(429);
        failure.Attempts.ShouldBe(1);
        (DateTime.UtcNow - started).ShouldBeLessThan(TimeSpan.FromSeconds(5), "the consumer is not held for 30 s");
    }

    [Fact]
    public async Task An_unreachable_twilio_is_a_transient_failure()
    {
        var result = await Sender(("Twilio__BaseUrl", $"http://127.0.0.1:{Ports.Free()}"), ("Twilio__RetryBaseDelay", "00:00:00.01"))
            .SendAsync(To, Body, TestContext.Current.CancellationToken);

        var failure = result.ShouldBeOfType<SmsSendFailed>();
        failure.Kind.ShouldBe(SmsFailureKind.Transient);
        failure.HttpStatus.ShouldBeNull();
        failure.Reason.ShouldContain("Could not reach Twilio");
        failure.Attempts.ShouldBe(3);
    }

    [Fact]
    public async Task An_error_page_of_a_proxy_in_front_of_twilio_is_retried_by_its_http_status()
    {
        // The SDK reports such an answer without its status; the sender still sees the 502 on the wire.
        _twilio.RespondWithPage(count: 1, status: 502);
        var provider = Build(("Twilio__RetryBaseDelay", "00:00:00.01"));
        using var retries = new CounterRecorder(provider.GetRequiredService<IMeterFactory>(), "authplatform.notification.send.retries");

        var result = await provider.GetRequiredService<ISmsSender>().SendAsync(To, Body, TestContext.Current.CancellationToken);

        result.ShouldBeOfType<SmsSent>().Attempts.ShouldBe(2);
        _twilio.Requests.Select(r => r.Status).ShouldBe([502, 201]);
        retries.Count(DeliveryTags.Sms, "server_error").ShouldBe(1);
    }

    [Fact]
    public async Task A_4xx_page_without_twilios_error_object_is_permanent()
    {
        _twilio.RespondWithPage(count: 1, status: 403);

        var result = await Sender().SendAsync(To, Body, TestContext.Current.CancellationToken);

        var failure = result.ShouldBeOfType<SmsSendFailed>();
        failure.Kind.ShouldBe(SmsFailureKind.Permanent);
        failure.HttpStatus.ShouldBe(403);
        failure.ProviderErrorCode.ShouldBeNull();
        _twilio.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task An_acceptance_whose_answer_cannot_be_read_is_not_sent_again()
    {
        _twilio.RespondWithPage(count: 1, status: 201);

        var result = await Sender().SendAsync(To, Body, TestContext.Current.CancellationToken);

        var sent = result.ShouldBeOfType<SmsSent>();
        sent.ProviderMessageId.ShouldBe("(unknown)");
        sent.Attempts.ShouldBe(1);
        _twilio.Requests.Count.ShouldBe(1, "a retry would send a second text");
        _logs.Entries.ShouldContain(e => e.Level == LogLevel.Warning && e.Message.Contains("has no message sid"));
    }

    [Fact]
    public async Task A_twilio_that_answers_too_late_is_a_transient_failure()
    {
        _twilio.RespondLate(count: 1, TimeSpan.FromSeconds(10));

        var result = await Sender(("Twilio__RequestTimeout", "00:00:00.2"), ("Twilio__MaxAttempts", "1"))
            .SendAsync(To, Body, TestContext.Current.CancellationToken);

        var failure = result.ShouldBeOfType<SmsSendFailed>();
        failure.Kind.ShouldBe(SmsFailureKind.Transient);
        failure.HttpStatus.ShouldBeNull();
        failure.Reason.ShouldBe("Twilio did not answer within 0.2 s.");
    }

    [Fact]
    public async Task Cancelling_the_send_cancels_the_request_the_sdk_is_making()
    {
        _twilio.RespondLate(count: 1, TimeSpan.FromSeconds(10));
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var sender = Sender(("Twilio__RequestTimeout", "00:00:30"), ("Twilio__MaxAttempts", "1"));

        var sending = sender.SendAsync(To, Body, cancellation.Token);
        await PlatformFixture.EventuallyAsync("the request reached the fake", () => Task.FromResult(_twilio.Arrived == 1), TimeSpan.FromSeconds(5));
        cancellation.Cancel();

        await Should.ThrowAsync<OperationCanceledException>(sending);
        _twilio.Messages.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("http://127.0.0.1:5123", "http://127.0.0.1:5123/2010-04-01/Accounts/AC1/Messages.json")]
    [InlineData("http://127.0.0.1:5123/", "http://127.0.0.1:5123/2010-04-01/Accounts/AC1/Messages.json")]
    [InlineData("https://proxy.example.com/twilio/", "https://proxy.example.com/twilio/2010-04-01/Accounts/AC1/Messages.json")]
    [InlineData("https://api.dublin.ie1.twilio.com", "https://api.dublin.ie1.twilio.com/2010-04-01/Accounts/AC1/Messages.json")]
    public void The_base_url_replaces_the_sdks_host_and_keeps_its_path(string baseUrl, string expected)
    {
        TwilioApiHandler.Rebase(new Uri("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json"), new Uri(baseUrl))
            .ShouldBe(new Uri(expected));
    }

    [Fact]
    public async Task Logs_hold_neither_the_text_the_code_the_token_nor_the_whole_number()
    {
        _twilio.RespondTooManyRequests(count: 1, retryAfterSeconds: 0);
        _twilio.RespondInvalidTo();
        var sender = Sender();

        await sender.SendAsync(To, Body, TestContext.Current.CancellationToken);
        await sender.SendAsync(To, Body, TestContext.Current.CancellationToken);

        _logs.Entries.ShouldNotBeEmpty("the retry is logged");
        var text = _logs.AllText;
        text.ShouldNotContain(Code);
        text.ShouldNotContain(_twilio.AuthToken);
        text.ShouldNotContain(To);
        text.ShouldNotContain("7700900");
        text.ShouldContain(PhoneNumberMask.Mask(To));
    }

    [Fact]
    public async Task The_standard_resilience_handler_of_service_defaults_does_not_add_its_own_retries()
    {
        _twilio.RespondServerError(count: 20);
        var provider = Build(services => services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler()),
            ("Twilio__RetryBaseDelay", "00:00:00.01"));

        var result = await provider.GetRequiredService<ISmsSender>().SendAsync(To, Body, TestContext.Current.CancellationToken);

        result.ShouldBeOfType<SmsSendFailed>().Attempts.ShouldBe(3);
        _twilio.Requests.Count.ShouldBe(3, "only the sender's own attempts: the handler ServiceDefaults adds to every client is removed");
    }

    private ISmsSender Sender(params (string Key, string? Value)[] overrides) => Build(overrides).GetRequiredService<ISmsSender>();

    private ServiceProvider Build(params (string Key, string? Value)[] overrides) => Build(_ => { }, overrides);

    private ServiceProvider Build(Action<IServiceCollection> defaults, params (string Key, string? Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>(_twilio.Environment);
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }
        var configuration = TestHost.Configuration(settings);
        var services = new ServiceCollection();
        defaults(services);
        services
            .AddSingleton(configuration)
            .AddLogging(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace))
            .AddMetrics()
            .AddSmsDelivery(configuration);
        var provider = services.BuildServiceProvider(validateScopes: true);
        _providers.Add(provider);
        provider.GetRequiredService<ISmsSender>().ShouldBeOfType<TwilioSmsSender>();
        return provider;
    }
}
