using System.Net;
using AuthPlatform.AppHost;

namespace AuthPlatform.Gateway.Tests;

public sealed class MfaReplicaTests(GatewayPlatform platform)
{
    [Fact]
    public async Task Requests_to_mfa_spread_over_both_replicas()
    {
        var replicas = platform.Fleet.Replicas("mfa").Select(r => $"mfa/{r.Process.Pid}").ToHashSet();
        replicas.Count.ShouldBe(2);

        var servedBy = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await platform.Gateway.GetAsync("/api/mfa/probe", TestContext.Current.CancellationToken);
            servedBy.Add(RoutingTests.ServedBy(response));
        }

        servedBy.ShouldBe(replicas, ignoreOrder: true);
    }

    [Fact]
    public async Task A_stopped_replica_leaves_rotation_within_seconds_and_rejoins_after_restart()
    {
        var ct = TestContext.Current.CancellationToken;
        var victim = platform.Fleet.Replicas("mfa").Single(r => r.Replica == 1);
        var survivor = $"mfa/{platform.Fleet.Replicas("mfa").Single(r => r.Replica == 0).Process.Pid}";

        await platform.Fleet.StopInstanceAsync(victim);
        try
        {
            // Within a few seconds every request is answered by the surviving replica.
            await PlatformFixture.EventuallyAsync("20 requests in a row succeed on the surviving replica", async () =>
            {
                for (var i = 0; i < 20; i++)
                {
                    using var response = await platform.Gateway.GetAsync("/api/mfa/probe", ct);
                    if (response.StatusCode != HttpStatusCode.NotFound || RoutingTests.ServedBy(response) != survivor)
                    {
                        return false;
                    }
                }
                return true;
            }, TimeSpan.FromSeconds(10));
        }
        finally
        {
            await platform.Fleet.StartInstanceAsync("mfa", 1);
        }

        var back = $"mfa/{platform.Fleet.Replicas("mfa").Single(r => r.Replica == 1).Process.Pid}";
        await PlatformFixture.EventuallyAsync("the restarted replica serves requests again", async () =>
        {
            using var response = await platform.Gateway.GetAsync("/api/mfa/probe", ct);
            return RoutingTests.ServedBy(response) == back;
        }, TimeSpan.FromSeconds(20));
    }
}
