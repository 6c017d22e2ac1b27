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

    [Fact]
    public async Task Killing_a_replica_under_load_fails_at_most_the_requests_in_flight_and_the_platform_keeps_serving()
    {
        var ct = TestContext.Current.CancellationToken;
        var victim = platform.Fleet.Replicas("mfa").Single(r => r.Replica == 1);
        var victimPid = victim.Process.Pid;
        var survivor = $"mfa/{platform.Fleet.Replicas("mfa").Single(r => r.Replica == 0).Process.Pid}";
        using var http = new HttpClient { BaseAddress = platform.Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var killedAt = TimeSpan.MaxValue;
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<(TimeSpan At, bool Served)>();

        // Four clients asking mfa (through the gateway) for 20 s; one replica is killed with SIGKILL after 5 s.
        async Task ClientAsync()
        {
            while (stopwatch.Elapsed < TimeSpan.FromSeconds(20))
            {
                var served = false;
                try
                {
                    using var response = await http.GetAsync("/api/mfa/probe", ct);
                    served = response.StatusCode == HttpStatusCode.NotFound && RoutingTests.ServedBy(response).StartsWith("mfa/", StringComparison.Ordinal);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                }
                outcomes.Add((stopwatch.Elapsed, served));
            }
        }
        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(ClientAsync, ct)).ToList();
        await Task.Delay(TimeSpan.FromSeconds(5), ct);
        killedAt = stopwatch.Elapsed;
        System.Diagnostics.Process.GetProcessById(victimPid).Kill();
        await Task.WhenAll(clients);
        try
        {
            var failed = outcomes.Where(o => !o.Served).ToList();
            var lastFailure = failed.Count == 0 ? TimeSpan.Zero : failed.Max(o => o.At) - killedAt;
            var figures = $"{outcomes.Count} requests, {failed.Count} failed (before the kill: {failed.Count(o => o.At < killedAt)}), "
                + $"last failure {lastFailure.TotalSeconds:0.00} s after the kill";
            TestContext.Current.SendDiagnosticMessage(figures);
            await File.WriteAllTextAsync(Path.Combine(platform.LogDirectory, "mfa-replica-kill-under-load.txt"), figures + "\n", ct);

            failed.Count(o => o.At < killedAt).ShouldBe(0, figures);
            // A request the dead replica never got goes to the survivor, so at most the requests in flight at the
            // kill (one per client) can fail, and only right then.
            failed.Count.ShouldBeLessThanOrEqualTo(4, figures);
            lastFailure.ShouldBeLessThan(TimeSpan.FromSeconds(2), figures);
            outcomes.Count(o => o.At > killedAt + TimeSpan.FromSeconds(5)).ShouldBeGreaterThan(0, "requests are still served after the kill");

            // The rest of the platform runs on: the survivor serves, nothing else stopped.
            using var response = await platform.Gateway.GetAsync("/api/mfa/probe", ct);
            RoutingTests.ServedBy(response).ShouldBe(survivor);
            platform.Fleet.Instances.Where(i => i.Process.Name != "mfa-1").ShouldAllBe(i => !i.Process.HasExited);
        }
        finally
        {
            // The orchestrator saw its process die; start the replica again for the other tests.
            await platform.Fleet.StartInstanceAsync("mfa", 1);
        }
    }
}
