using AuthPlatform.Notification.Extensions;
using AuthPlatform.Notification.Sms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Notification.Tests;

// Which sender the worker gets for which settings (design §3): Twilio when configured; a development sender that
// only logs when Sms__UseDevelopmentSender=true; otherwise no sender and no start, whatever the environment.
public sealed class SmsSenderSelectionTests
{
    private static readonly Dictionary<string, string?> Twilio = new()
    {
        ["Twilio__AccountSid"] = "AC0123456789abcdef0123456789abcdef",
        ["Twilio__AuthToken"] = "0123456789abcdef0123456789abcdef",
        ["Twilio__From"] = "+15005550006",
    };

    private static readonly Dictionary<string, string?> DevelopmentSender = new() { ["Sms__UseDevelopmentSender"] = "true" };

    [Theory]
    [InlineData("Development")]
    [InlineData("Staging")]
    [InlineData("Production")]
    public void Without_twilio_settings_and_without_the_switch_the_worker_refuses_to_start_in_any_environment(string environment)
    {
        // The environment's name never turns on a sender that writes sign-in codes to the log.
        var ex = Should.Throw<InvalidOperationException>(() => Sender([], environment));

        ex.Message.ShouldContain("No SMS provider is configured");
        ex.Message.ShouldContain("Twilio__AccountSid");
        ex.Message.ShouldContain("Twilio__AuthToken");
        ex.Message.ShouldContain("Twilio__From");
        ex.Message.ShouldContain("Sms__UseDevelopmentSender=true");
    }

    [Theory]
    [InlineData("false")]
    [InlineData("")]
    public void Anything_but_true_does_not_enable_the_logging_sender(string value)
    {
        Should.Throw<InvalidOperationException>(() => Sender(new() { ["Sms__UseDevelopmentSender"] = value }, Environments.Development));
    }

    [Fact]
    public void The_explicit_switch_selects_the_logging_sender()
    {
        Sender(DevelopmentSender, Environments.Development).ShouldBeOfType<DevelopmentSmsSender>();
    }

    [Fact]
    public void A_base_url_alone_is_not_a_twilio_configuration()
    {
        var settings = new Dictionary<string, string?>(DevelopmentSender) { ["Twilio__BaseUrl"] = "https://api.twilio.com" };

        Sender(settings, Environments.Development).ShouldBeOfType<DevelopmentSmsSender>();
    }

    [Fact]
    public void Twilio_settings_win_over_the_switch()
    {
        var settings = new Dictionary<string, string?>(Twilio) { ["Sms__UseDevelopmentSender"] = "true" };

        Sender(settings, Environments.Development).ShouldBeOfType<TwilioSmsSender>();
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public void Twilio_settings_select_the_twilio_sender(string environment)
    {
        Sender(Twilio, environment).ShouldBeOfType<TwilioSmsSender>();
    }

    [Fact]
    public void A_messaging_service_instead_of_a_from_number_is_enough()
    {
        var settings = new Dictionary<string, string?>(Twilio) { ["Twilio__From"] = null, ["Twilio__MessagingServiceSid"] = "MG0123456789abcdef0123456789abcdef" };

        Sender(settings, Environments.Production).ShouldBeOfType<TwilioSmsSender>();
    }

    [Theory]
    [InlineData("Twilio__AuthToken")]
    [InlineData("Twilio__AccountSid")]
    [InlineData("Twilio__From")]
    public void Incomplete_twilio_settings_stop_the_worker_in_any_environment(string missing)
    {
        var settings = new Dictionary<string, string?>(Twilio) { [missing] = null };

        var ex = Should.Throw<InvalidOperationException>(() => Sender(settings, Environments.Development));

        ex.Message.ShouldContain("incomplete");
        ex.Message.ShouldContain(missing);
        ex.Message.ShouldNotContain(Twilio["Twilio__AuthToken"]!, Case.Sensitive, "settings are named, never repeated");
    }

    [Theory]
    [InlineData("http://api.twilio.com")]
    [InlineData("not a url")]
    public void A_base_url_that_would_send_the_token_in_clear_is_refused(string baseUrl)
    {
        var settings = new Dictionary<string, string?>(Twilio) { ["Twilio__BaseUrl"] = baseUrl };

        Should.Throw<OptionsValidationException>(() => Sender(settings, Environments.Development));
    }

    [Fact]
    public void Twilio_settings_that_let_one_send_outlast_a_delivery_attempt_are_refused()
    {
        // 3 × 30 s + 10 s: with the bus's retries, an honest delivery could outlast the stuck-consumer limit of /alive.
        var settings = new Dictionary<string, string?>(Twilio) { ["Twilio__RequestTimeout"] = "00:00:30" };

        Should.Throw<OptionsValidationException>(() => Sender(settings, Environments.Development)).Message.ShouldContain("at most 60 s");
    }

    [Fact]
    public void Plain_http_to_loopback_is_allowed_for_a_fake_twilio()
    {
        var settings = new Dictionary<string, string?>(Twilio) { ["Twilio__BaseUrl"] = "http://127.0.0.1:5123" };

        Sender(settings, Environments.Development).ShouldBeOfType<TwilioSmsSender>();
    }

    [Fact]
    public async Task The_development_sender_logs_the_text_marked_as_not_sent()
    {
        var logs = new LogCollector();
        var sender = Sender(DevelopmentSender, Environments.Development, logs);

        var result = await sender.SendAsync("+447700900123", "123456 is your AuthPlatform code.\n\n@localhost #123456",
            TestContext.Current.CancellationToken);

        result.ShouldBeOfType<SmsSent>();
        var entry = logs.Entries.ShouldHaveSingleItem();
        entry.Level.ShouldBe(LogLevel.Information);
        entry.Message.ShouldStartWith("DEVELOPMENT SMS (not sent) to +44******0123:\n123456 is your AuthPlatform code.");
        entry.Message.ShouldContain("@localhost #123456");
        entry.Message.ShouldNotContain("+447700900123");
    }

    private static ISmsSender Sender(Dictionary<string, string?> settings, string environment, LogCollector? logs = null)
    {
        // The environment is set as the host would set it, to show that it plays no part in the choice.
        var configuration = TestHost.Configuration(settings.Append(new("DOTNET_ENVIRONMENT", environment)));
        var provider = new ServiceCollection()
            .AddSingleton(configuration)
            .AddLogging(logging =>
            {
                if (logs is not null)
                {
                    logging.AddProvider(logs);
                }
            })
            .AddMetrics()
            .AddSmsDelivery(configuration)
            .BuildServiceProvider(validateScopes: true);
        return provider.GetRequiredService<ISmsSender>();
    }
}
