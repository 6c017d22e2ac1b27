using System.Diagnostics;
using System.Text;
using AuthPlatform.AppHost;

namespace AuthPlatform.Cli.Tests;

/// <summary>What one run of the CLI did.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The stderr lines, without the final newline.</summary>
    public string[] StderrLines => Stderr.Length == 0 ? [] : Stderr.TrimEnd('\n').Split('\n');

    public override string ToString() => $"exit code {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";

    /// <summary>Exactly one line on stderr, <c>error: …</c>, no stack trace, and the given exit code; returns the line.</summary>
    public string ShouldFailWithOneErrorLine(int exitCode = 1)
    {
        ExitCode.ShouldBe(exitCode, ToString());
        StderrLines.Length.ShouldBe(1, ToString());
        StderrLines[0].ShouldStartWith("error: ", customMessage: ToString());
        (Stdout + Stderr).ShouldNotContain("   at ", customMessage: "no stack trace");
        (Stdout + Stderr).ShouldNotContain("Exception", customMessage: "no exception dump");
        return StderrLines[0];
    }

    public void ShouldSucceed()
    {
        ExitCode.ShouldBe(0, ToString());
        Stderr.ShouldBeEmpty(ToString());
    }
}

/// <summary>
/// The built CLI (<c>artifacts/bin/AuthPlatform.Cli/&lt;config&gt;/authplatform.dll</c>) as a person's machine runs
/// it: its own config home (a fresh temporary XDG_CONFIG_HOME), answers written to stdin, and the gateway given with
/// <c>--gateway</c>.
/// </summary>
public sealed class CliMachine : IDisposable
{
    private static readonly string Dll = Path.Combine(ArtifactPaths.RepositoryRoot(), "artifacts", "bin", "AuthPlatform.Cli",
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Name, "authplatform.dll");

    public CliMachine(PlatformFixture platform)
    {
        Gateway = platform.Fleet.GatewayAddress.ToString();
        Home = Path.Combine(Path.GetTempPath(), "authplatform-cli-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Home);
    }

    /// <summary>HOME and XDG_CONFIG_HOME of this machine.</summary>
    public string Home { get; }

    public string ConfigDirectory => Path.Combine(Home, "authplatform");

    public string CredentialsFile => Path.Combine(ConfigDirectory, "credentials.json");

    /// <summary>Passed as <c>--gateway</c>.</summary>
    public string Gateway { get; set; }

    /// <summary>Extra environment variables for every run.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public async Task<CliResult> RunAsync(string? stdin, params string[] args)
    {
        File.Exists(Dll).ShouldBeTrue($"{Dll} is missing: build tests/Cli.Tests first");
        var start = new ProcessStartInfo(ArtifactPaths.DotnetHost)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = Home,
        };
        start.ArgumentList.Add(Dll);
        start.ArgumentList.Add("--gateway");
        start.ArgumentList.Add(Gateway);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var name in new[] { "AUTHPLATFORM_GATEWAY", "AUTHPLATFORM_ACCESS_KEY_ID", "AUTHPLATFORM_SECRET" })
        {
            start.Environment.Remove(name);
        }
        start.Environment["HOME"] = Home;
        start.Environment["XDG_CONFIG_HOME"] = Home;
        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin);
            }
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The CLI exited before reading everything.
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"authplatform {string.Join(' ', args)} did not finish within 90 s. stdout: {await stdout} stderr: {await stderr}");
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
