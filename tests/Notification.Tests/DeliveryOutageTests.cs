using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AuthPlatform.AppHost;
using AuthPlatform.Contracts;
using AuthPlatform.Testing;
using MassTransit;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace AuthPlatform.Notification.Tests;

/// <summary>
/// Outages of what notification depends on, with the whole platform on real servers: an email or text that the
/// platform accepted to send is sent once the outage ends, exactly once, however the outage went.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class DeliveryOutageTests(NotificationPlatform platform)
{
    private const string VerifySubject = "Verify your email";
    private readonly AccountClient _accounts = new(platform);

    [Fact]
    public async Task Sign_up_while_the_worker_is_stopped_and_the_email_arrives_once_it_starts()
    {
        var worker = Worker();
        await platform.Fleet.StopInstanceAsync(worker);
        var email = PlatformFixture.NewEmail("worker-down");
        try
        {
            (await _accounts.SignUpAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
            await PlatformFixture.EventuallyAsync("the email request waits in the worker's queue",
                async () => await QueueLengthAsync("send-email") >= 1);
        }
        finally
        {
            await platform.Fleet.StartInstanceAsync("notification", 0);
        }

        await platform.Mailbox.WaitForAsync(email, VerifySubject);
        await ExactlyOneEmailAsync(email);
    }

    [Fact]
    public async Task An_smtp_outage_within_the_retries_delays_the_email_and_it_arrives_once()
    {
        var email = PlatformFixture.NewEmail("smtp-blip");
        await platform.Servers.Smtp.StopAsync();
        try
        {
            (await _accounts.SignUpAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
            await Task.Delay(TimeSpan.FromMilliseconds(700));
        }
        finally
        {
            await platform.Servers.Smtp.StartAsync();
        }

        await platform.Mailbox.WaitForAsync(email, VerifySubject);
        await ExactlyOneEmailAsync(email);
    }

    [Fact]
    public async Task An_smtp_outage_longer_than_the_retries_postpones_the_email_and_it_arrives_once_the_server_is_back()
    {
        var email = PlatformFixture.NewEmail("smtp-down");
        await platform.Servers.Smtp.StopAsync();
        try
        {
            (await _accounts.SignUpAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
            // Several times the worker's retry budget (about 1.5 s here), well short of the give-up time.
            await Task.Delay(TimeSpan.FromSeconds(7));
            (await QueueLengthAsync(HoldingQueue("send-email"))).ShouldNotBeNull("the email went to the holding queue");
        }
        finally
        {
            await platform.Servers.Smtp.StartAsync();
        }

        var message = await platform.Mailbox.WaitForAsync(email, VerifySubject);
        message.Text.ShouldContain("/verify-email?token=");
        await ExactlyOneEmailAsync(email);
        (await _accounts.PressVerifyInEmailAsync(email)).StatusCode.ShouldBe(HttpStatusCode.OK, "the postponed link still works");
    }

    [Fact]
    public async Task An_smtp_outage_longer_than_the_whole_budget_leaves_the_email_in_the_error_queue_until_an_operator_moves_it_back()
    {
        var email = PlatformFixture.NewEmail("smtp-gone");
        await platform.Servers.Smtp.StopAsync();
        try
        {
            (await _accounts.SignUpAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
            await PlatformFixture.EventuallyAsync("the email is given up on",
                async () => await ErrorMessageToAsync("send-email_error", email) is not null,
                NotificationPlatform.GiveUpAfter + TimeSpan.FromSeconds(30));
        }
        finally
        {
            await platform.Servers.Smtp.StartAsync();
        }

        var parked = (await ErrorMessageToAsync("send-email_error", email))!;
        // What the operator sees: the real cause, the refused SMTP connection.
        Header(parked, "MT-Fault-ExceptionType").ShouldBe(typeof(System.Net.Sockets.SocketException).FullName);
        Header(parked, "MT-Fault-Message")!.ShouldContain("refused", Case.Insensitive);
        Header(parked, "AuthPlatform-Postponed").ShouldNotBeNull("it was postponed before it was given up on");
        await Task.Delay(TimeSpan.FromSeconds(3));
        (await platform.Mailbox.AllToAsync(email)).ShouldBeEmpty("a given-up email waits for an operator, not for the next retry");

        // The operator moves it back (as the management UI's "Move messages" does): it is sent, once.
        await MoveBackAsync("send-email_error", email, "send-email");
        await platform.Mailbox.WaitForAsync(email, VerifySubject);
        await ExactlyOneEmailAsync(email);
    }

    [Fact]
    public async Task A_queued_email_survives_a_RabbitMQ_restart()
    {
        var worker = Worker();
        await platform.Fleet.StopInstanceAsync(worker);
        var email = PlatformFixture.NewEmail("broker-restart");
        try
        {
            (await _accounts.SignUpAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
            await PlatformFixture.EventuallyAsync("the email request waits in the worker's queue",
                async () => await QueueLengthAsync("send-email") >= 1);
            await platform.Servers.RabbitMq.StopAsync();
            await platform.Servers.RabbitMq.StartAsync();
        }
        finally
        {
            await platform.Fleet.StartInstanceAsync("notification", 0);
        }

        await platform.Mailbox.WaitForAsync(email, VerifySubject, timeout: TimeSpan.FromSeconds(60));
        await ExactlyOneEmailAsync(email);
    }

    [Fact]
    public async Task The_same_message_delivered_twice_sends_one_email()
    {
        var email = PlatformFixture.NewEmail("twice");
        var messageId = NewId.NextGuid();
        var request = new SendEmail(email, EmailTemplates.VerifyEmail,
            new Dictionary<string, string> { ["link"] = platform.Fleet.PublicBaseUrl + "/verify-email?token=twice" });

        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(new Uri($"rabbitmq://127.0.0.1:{platform.Servers.RabbitMq.Port}/"), host =>
        {
            host.Username("guest");
            host.Password("guest");
        }));
        await bus.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            await bus.Publish(request, context => context.MessageId = messageId, TestContext.Current.CancellationToken);
            await platform.Mailbox.WaitForAsync(email, VerifySubject);
            await bus.Publish(request, context => context.MessageId = messageId, TestContext.Current.CancellationToken);
            await PlatformFixture.EventuallyAsync("the worker took the second copy", async () => await QueueLengthAsync("send-email") == 0);
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }

        await ExactlyOneEmailAsync(email);
    }

    [Fact]
    public async Task Twilio_failing_twice_then_accepting_sends_one_text()
    {
        var (_, tokens) = await _accounts.CreateVerifiedAccountAsync("twilio-500");
        var phone = TestPhoneNumbers.NewMobile();
        platform.Twilio.RespondServerError(count: 2);

        using var enrol = await EnrolPhoneAsync(tokens.AccessToken, phone);
        enrol.StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var sms = await platform.Twilio.WaitForMessageAsync(phone);
        await Task.Delay(TimeSpan.FromSeconds(3));
        platform.Twilio.Messages.Count(m => m.To == phone).ShouldBe(1);
        platform.Twilio.Requests.Where(r => r.To == phone).Select(r => r.Status).ShouldBe([500, 500, 201]);
        using var confirm = await SendAsync(HttpMethod.Post, "/api/mfa/sms/confirm", tokens.AccessToken, $$"""{"code":"{{sms.Code}}"}""");
        confirm.StatusCode.ShouldBe(HttpStatusCode.OK, "the one text carries a working code");
    }

    [Fact]
    public async Task A_number_Twilio_refuses_is_tried_once_and_recorded_as_failed()
    {
        var (_, tokens) = await _accounts.CreateVerifiedAccountAsync("twilio-21211");
        var phone = TestPhoneNumbers.NewMobile();
        platform.Twilio.RespondInvalidTo(count: 1);

        using var enrol = await EnrolPhoneAsync(tokens.AccessToken, phone);
        enrol.StatusCode.ShouldBe(HttpStatusCode.Accepted);

        await PlatformFixture.EventuallyAsync("the refused text is in the error queue",
            async () => await ErrorMessageToAsync("send-sms-code_error", phone[1..]) is not null);
        var parked = (await ErrorMessageToAsync("send-sms-code_error", phone[1..]))!;
        Header(parked, "MT-Fault-ExceptionType").ShouldBe(typeof(AuthPlatform.Notification.Sms.SmsRejectedException).FullName);
        Header(parked, "MT-Fault-Message")!.ShouldContain("21211");
        Header(parked, "AuthPlatform-Postponed").ShouldBeNull("a permanent refusal is never postponed");
        await Task.Delay(TimeSpan.FromSeconds(3));
        platform.Twilio.Requests.Count(r => r.To == phone).ShouldBe(1, "neither the sender nor the bus tries again");
        platform.Twilio.Messages.ShouldNotContain(m => m.To == phone);
    }

    private ServiceInstance Worker() => platform.Fleet.Instances.Single(i => i.Name == "notification");

    private Task<HttpResponseMessage> EnrolPhoneAsync(string accessToken, string phone) =>
        SendAsync(HttpMethod.Post, "/api/mfa/sms", accessToken, $$"""{"phoneNumber":"{{phone}}"}""");

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string accessToken, string json)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await platform.Gateway.SendAsync(request);
    }

    private async Task ExactlyOneEmailAsync(string email)
    {
        // Long enough for a duplicate to show up: several retry intervals and a holding-queue return.
        await Task.Delay(TimeSpan.FromSeconds(4));
        (await platform.Mailbox.AllToAsync(email)).Count.ShouldBe(1);
    }

    private static string HoldingQueue(string queue) =>
        AuthPlatform.Notification.Infrastructure.RabbitMqWaitingRoom.HoldingQueueName(queue, NotificationPlatform.PostponeDelay);

    private async Task<IConnection> ConnectAsync() =>
        await new ConnectionFactory { Uri = new Uri(platform.Servers.RabbitMq.ConnectionString) }.CreateConnectionAsync();

    /// <summary>Messages ready in <paramref name="queue"/>; null when the queue does not exist.</summary>
    private async Task<uint?> QueueLengthAsync(string queue) => (await platform.Servers.RabbitMq.QueueAsync(queue))?.MessageCount;

    /// <summary>The message in an error queue whose body mentions <paramref name="needle"/>; the others are left in place.</summary>
    private async Task<BasicGetResult?> ErrorMessageToAsync(string queue, string needle)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            await channel.QueueDeclarePassiveAsync(queue);
        }
        catch (OperationInterruptedException)
        {
            return null;
        }
        BasicGetResult? found = null;
        // Unacknowledged gets go back to the queue when the channel closes.
        while (await channel.BasicGetAsync(queue, autoAck: false) is { } message)
        {
            if (Encoding.UTF8.GetString(message.Body.Span).Contains(needle, StringComparison.Ordinal))
            {
                found = message;
            }
        }
        return found;
    }

    /// <summary>Republishes the error-queue message that mentions <paramref name="needle"/> to <paramref name="queue"/>, properties and all.</summary>
    private async Task MoveBackAsync(string errorQueue, string needle, string queue)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        while (await channel.BasicGetAsync(errorQueue, autoAck: false) is { } message)
        {
            if (Encoding.UTF8.GetString(message.Body.Span).Contains(needle, StringComparison.Ordinal))
            {
                await channel.BasicPublishAsync("", queue, mandatory: true, new BasicProperties(message.BasicProperties), message.Body);
                await channel.BasicAckAsync(message.DeliveryTag, multiple: false);
                return;
            }
        }
        throw new InvalidOperationException($"No message mentioning {needle} in {errorQueue}.");
    }

    private static string? Header(BasicGetResult message, string name) =>
        message.BasicProperties.Headers?.TryGetValue(name, out var value) == true
            ? value switch { byte[] bytes => Encoding.UTF8.GetString(bytes), null => null, _ => value.ToString() }
            : null;
}
