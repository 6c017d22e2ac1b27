using AuthPlatform.AppHost.LocalServers;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace AuthPlatform.Gateway.Tests;

/// <summary>
/// Each service talks to RabbitMQ as its own user and may write only to its own exchanges: a service's credentials
/// cannot forge another service's events (e.g. mfa publishing <c>EmailVerified</c> to verify any address).
/// </summary>
public sealed class BrokerPermissionTests(GatewayPlatform platform)
{
    private async Task<IConnection> ConnectAsAsync(string service) =>
        await new ConnectionFactory { Uri = new Uri(platform.Servers.RabbitMq.ConnectionStringFor(service)!) }
            .CreateConnectionAsync(TestContext.Current.CancellationToken);

    /// <summary>Publishes one message with publisher confirms; true when the broker took it.</summary>
    private async Task<bool> TryPublishAsync(string service, string exchange)
    {
        await using var connection = await ConnectAsAsync(service);
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            TestContext.Current.CancellationToken);
        try
        {
            await channel.BasicPublishAsync(exchange, "", mandatory: false, new BasicProperties(), "{}"u8.ToArray(), TestContext.Current.CancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is OperationInterruptedException or AlreadyClosedException or PublishException)
        {
            return false;
        }
    }

    [Fact]
    public async Task A_service_cannot_publish_to_another_services_exchanges()
    {
        (await TryPublishAsync("mfa", "AuthPlatform.Contracts:EmailVerified")).ShouldBeFalse("EmailVerified is verification's event");
        (await TryPublishAsync("mfa", "email-verified")).ShouldBeFalse("nor straight into account's receive endpoint");
        (await TryPublishAsync("account", "AuthPlatform.Contracts:MfaDisabled")).ShouldBeFalse("MfaDisabled is mfa's event");
        (await TryPublishAsync("notification", "AuthPlatform.Contracts:SendSmsCode")).ShouldBeFalse("notification publishes nothing");
        (await TryPublishAsync("account", "send-email")).ShouldBeFalse("nor into notification's queue");

        // The same publish to an exchange the user may write to goes through (a temporary bus endpoint of its own).
        var own = $"test_{Guid.NewGuid():N}_bus_{Guid.NewGuid():N}";
        await using (var connection = await ConnectAsAsync("mfa"))
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: TestContext.Current.CancellationToken))
        {
            await channel.ExchangeDeclareAsync(own, ExchangeType.Fanout, durable: false, autoDelete: true, cancellationToken: TestContext.Current.CancellationToken);
            (await TryPublishAsync("mfa", own)).ShouldBeTrue();
        }
    }

    [Fact]
    public async Task Each_services_own_events_still_flow_and_guest_is_refused_outside_development()
    {
        // The honest flow: account publishes AccountRegistered, verification EmailVerified, account consumes it.
        var (_, tokens) = await new AccountClient(platform).CreateVerifiedAccountAsync("broker");
        tokens.AccessToken.ShouldNotBeNullOrEmpty();
        BrokerUsers.WritePattern("verification").ShouldContain("EmailVerified");
        BrokerUsers.WritePattern("mfa").ShouldNotContain("EmailVerified");

        var guest = new Uri("amqp://guest:guest@127.0.0.1:5672");
        Should.Throw<InvalidOperationException>(() => EventBus.EventBusCredentials(guest, new Environment(Environments.Production)));
        Should.Throw<InvalidOperationException>(() => EventBus.EventBusCredentials(new Uri("amqp://127.0.0.1:5672"), new Environment(Environments.Staging)));
        EventBus.EventBusCredentials(guest, new Environment(Environments.Development)).User.ShouldBe("guest");
        EventBus.EventBusCredentials(new Uri("amqp://mfa:s3cret@broker:5672"), new Environment(Environments.Production)).ShouldBe(("mfa", "s3cret"));
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "test";

        public string ContentRootPath { get; set; } = "/";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
