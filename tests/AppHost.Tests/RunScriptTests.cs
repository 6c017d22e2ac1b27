using System.Diagnostics;
using System.Net;
using AuthPlatform.AppHost;

namespace AuthPlatform.AppHost.Tests;

public sealed class RunScriptTests
{
    [Fact]
    public async Task Run_sh_brings_the_platform_up_and_SIGTERM_leaves_no_process_behind()
    {
        var ct = TestContext.Current.CancellationToken;
        var root = PlatformLayout.FindRepositoryRoot(AppContext.BaseDirectory);
        var data = Path.Combine(Path.GetTempPath(), "authplatform-run-test-" + Guid.NewGuid().ToString("N")[..8]);
        var marker = Guid.NewGuid().ToString("N");
        var gatewayPort = Ports.Free();
        var portBase = FreePortBase();
        var dashboardPort = FreePortBase();

        var startInfo = new ProcessStartInfo(Path.Combine(root, "run.sh"))
        {
            ArgumentList = { "--no-build", "--debug", "--servers", "local", "--data", data, "--port-base", portBase.ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
            Environment =
            {
                ["GATEWAY_PORT"] = gatewayPort.ToString(),
                ["DASHBOARD_PORT"] = dashboardPort.ToString(),
                ["AUTHPLATFORM_TEST_MARKER"] = marker,
            },
        };
        using var run = Process.Start(startInfo)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var ready = new TaskCompletionSource();
        run.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            output.Enqueue(e.Data);
            if (e.Data.Contains("AuthPlatform is running", StringComparison.Ordinal)) ready.TrySetResult();
        };
        run.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        run.BeginOutputReadLine();
        run.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromMinutes(3), ct);
            ProcessesCarrying(marker).Count.ShouldBeGreaterThanOrEqualTo(10, "the orchestrator, servers, services and gateway run");

            using var http = new HttpClient();
            using var health = await http.GetAsync($"http://127.0.0.1:{gatewayPort}/health", ct);
            health.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await health.Content.ReadAsStringAsync(ct)).ShouldBe("Healthy");
            var printed = string.Join('\n', output);
            printed.ShouldContain($"Gateway:      http://localhost:{gatewayPort}");
            // The dashboard answers on its pinned port, and the printed link carries its login token.
            printed.ShouldMatch($@"Dashboard:    http://localhost:{dashboardPort}/login\?t=[0-9a-f]+");
            using var dashboard = await http.GetAsync($"http://localhost:{dashboardPort}/", ct);
            ((int)dashboard.StatusCode).ShouldBeLessThan(500);
            printed.ShouldContain($"Mail UI:      http://localhost:{portBase + 6}");
            printed.ShouldContain($"RabbitMQ UI:  http://localhost:{portBase + 4}");
            // The key-encryption certificate was made under the data folder, readable only by its owner.
            var certificate = Path.Combine(data, "keys", "key-encryption.pfx");
            File.Exists(certificate).ShouldBeTrue();
            if (!OperatingSystem.IsWindows())
            {
                File.GetUnixFileMode(certificate).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            _ = Kill(run.Id, 15);
            await run.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(90), ct);

            run.ExitCode.ShouldBe(0);
            ProcessesCarrying(marker).ShouldBeEmpty("nothing that run.sh started may outlive it");
        }
        catch
        {
            TestContext.Current.SendDiagnosticMessage(string.Join('\n', output));
            throw;
        }
        finally
        {
            if (!run.HasExited) run.Kill(entireProcessTree: true);
            foreach (var pid in ProcessesCarrying(marker)) _ = Kill(pid, 9);
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Every process whose environment carries the marker, i.e. everything run.sh started.</summary>
    private static List<int> ProcessesCarrying(string marker)
    {
        var pids = new List<int>();
        foreach (var directory in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(directory, "environ")).Contains(marker, StringComparison.Ordinal)) pids.Add(pid);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        }
        return pids;
    }

    private static int FreePortBase()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var candidate = Random.Shared.Next(20_000, 30_000);
            if (Enumerable.Range(candidate, 20).All(IsFree)) return candidate;
        }
        throw new InvalidOperationException("No free block of 20 ports.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
