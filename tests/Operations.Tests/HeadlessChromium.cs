using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace AuthPlatform.Operations.Tests;

/// <summary>
/// Debian's Chromium, headless, driven over the DevTools protocol: it opens a page, waits until the page shows some
/// text (the Aspire dashboard renders over a live connection, so a plain --screenshot catches an empty page) and takes
/// screenshots.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _profile;
    private readonly ClientWebSocket _socket = new();
    private int _nextId;

    private HeadlessChromium(Process process, DirectoryInfo profile)
    {
        _process = process;
        _profile = profile;
    }

    public static async Task<HeadlessChromium> StartAsync()
    {
        var profile = Directory.CreateTempSubdirectory("authplatform-chromium-");
        var start = new ProcessStartInfo("chromium") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--hide-scrollbars", "--window-size=1400,900", "--remote-debugging-port=0",
            $"--user-data-dir={profile.FullName}", "about:blank" })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var browser = new HeadlessChromium(process, profile);
        var portFile = Path.Combine(profile.FullName, "DevToolsActivePort");
        await PlatformFixture.EventuallyAsync("Chromium opens its DevTools port", () => Task.FromResult(File.Exists(portFile) && File.ReadAllLines(portFile).Length >= 2));
        var port = int.Parse(File.ReadAllLines(portFile)[0]);
        using var http = new HttpClient();
        var pages = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
        var page = pages.First(p => p!["type"]!.GetValue<string>() == "page")!;
        await browser._socket.ConnectAsync(new Uri(page["webSocketDebuggerUrl"]!.GetValue<string>()), CancellationToken.None);
        return browser;
    }

    /// <summary>Opens <paramref name="url"/> and waits until its visible text contains every one of <paramref name="expected"/>.</summary>
    public async Task<string> OpenAsync(Uri url, params string[] expected)
    {
        var text = await ReadAsync(url, text => expected.All(e => text.Contains(e, StringComparison.Ordinal)), TimeSpan.FromSeconds(60));
        expected.ShouldAllBe(e => text.Contains(e, StringComparison.Ordinal), $"{url} shows them");
        return text;
    }

    /// <summary>Opens <paramref name="url"/> and returns its visible text once <paramref name="ready"/> holds, or when <paramref name="wait"/> is over.</summary>
    public async Task<string> ReadAsync(Uri url, Func<string, bool> ready, TimeSpan wait)
    {
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() });
        return await WaitForTextAsync(ready, wait);
    }

    /// <summary>The page's visible text once <paramref name="ready"/> holds, or when <paramref name="wait"/> is over.</summary>
    public async Task<string> WaitForTextAsync(Func<string, bool> ready, TimeSpan wait)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = "document.body ? document.body.innerText : ''" });
            var text = result["result"]?["value"]?.GetValue<string>() ?? "";
            if (ready(text) || DateTime.UtcNow > deadline)
            {
                return text;
            }
            await Task.Delay(250);
        }
    }

    /// <summary>Runs a script in the page (a click, say).</summary>
    public Task EvaluateAsync(string script) => SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = script });

    public async Task ScreenshotAsync(string path)
    {
        var result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" });
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(result["data"]!.GetValue<string>()));
    }

    private async Task<JsonNode> SendAsync(string method, JsonObject parameters)
    {
        var id = ++_nextId;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters }.ToJsonString();
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[1 << 16];
        while (true)
        {
            using var received = new MemoryStream();
            WebSocketReceiveResult part;
            do
            {
                part = await _socket.ReceiveAsync(buffer, timeout.Token);
                received.Write(buffer, 0, part.Count);
            }
            while (!part.EndOfMessage);
            var reply = JsonNode.Parse(received.ToArray())!;
            if (reply["id"]?.GetValue<int>() != id)
            {
                continue; // an event, or an older reply
            }
            if (reply["error"] is { } error)
            {
                throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
            }
            return reply["result"]!;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            _profile.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
