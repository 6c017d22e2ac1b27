using System.Net;
using AuthPlatform.AppHost;

namespace AuthPlatform.ServiceDefaults.Tests;

/// <summary>/health is readiness: it follows the servers a service depends on, down and back up.</summary>
public sealed class DependencyOutageTests(ServiceDefaultsPlatform platform)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Redis_outage_turns_its_users_unhealthy_until_it_is_back()
    {
        string[] users = ["account", "verification", "mfa", "notification"];
        await platform.Servers.Redis.StopAsync();
        try
        {
            await AllAsync(users, HttpStatusCode.ServiceUnavailable, "unhealthy while Redis is down");
            await AllAsync(["gateway"], HttpStatusCode.OK, "healthy: it does not use Redis");
        }
        finally
        {
            await platform.Servers.Redis.StartAsync();
        }
        await AllAsync(users, HttpStatusCode.OK, "healthy again once Redis is back");
    }

    [Fact]
    public async Task PostgreSQL_outage_turns_its_users_unhealthy_until_it_is_back()
    {
        string[] users = ["account", "mfa"];
        await platform.Servers.Postgres.StopAsync();
        try
        {
            await AllAsync(users, HttpStatusCode.ServiceUnavailable, "unhealthy while PostgreSQL is down");
            await AllAsync(["verification", "notification"], HttpStatusCode.OK, "healthy: they do not use PostgreSQL");
        }
        finally
        {
            await platform.Servers.Postgres.StartAsync();
        }
        await AllAsync(users, HttpStatusCode.OK, "healthy again once PostgreSQL is back");
    }

    [Fact]
    public async Task RabbitMQ_outage_turns_every_bus_user_unhealthy_until_it_is_back()
    {
        string[] users = ["account", "verification", "mfa", "notification"];
        await platform.Servers.RabbitMq.StopAsync();
        try
        {
            await AllAsync(users, HttpStatusCode.ServiceUnavailable, "unhealthy while RabbitMQ is down");
        }
        finally
        {
            await platform.Servers.RabbitMq.StartAsync();
        }
        await AllAsync(users, HttpStatusCode.OK, "healthy again once RabbitMQ is back", TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task Liveness_does_not_depend_on_the_servers()
    {
        await platform.Servers.Redis.StopAsync();
        try
        {
            foreach (var instance in platform.Fleet.Instances)
            {
                using var alive = await Http.GetAsync(new Uri(instance.BaseAddress, "/alive"), TestContext.Current.CancellationToken);
                alive.StatusCode.ShouldBe(HttpStatusCode.OK, instance.Process.Name);
            }
        }
        finally
        {
            await platform.Servers.Redis.StartAsync();
        }
        await AllAsync(["account", "verification", "mfa", "notification"], HttpStatusCode.OK, "healthy again once Redis is back");
    }

    private async Task AllAsync(string[] services, HttpStatusCode expected, string what, TimeSpan? timeout = null)
    {
        foreach (var instance in platform.Fleet.Instances.Where(i => services.Contains(i.Name)))
        {
            await PlatformFixture.EventuallyAsync($"{instance.Process.Name} is {what}",
                async () => await HealthAsync(instance) == expected, timeout ?? TimeSpan.FromSeconds(45));
        }
    }

    private static async Task<HttpStatusCode?> HealthAsync(ServiceInstance instance)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(instance.BaseAddress, "/health"));
            return response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }
}
