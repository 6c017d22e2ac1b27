using System.Reflection;

namespace AuthPlatform.Cli;

public static class Program
{
    public const string DefaultGateway = "http://localhost:8080";

    public static string Version { get; } =
        (typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    public const string Help = """
        authplatform: sign in to AuthPlatform and manage access keys

        Usage: authplatform [--gateway URL] <command> [arguments]

        Commands:
          login                 Sign in with email and password (and a two-factor code when 2FA is on)
          login --remember      The same, and remember this machine: its next logins skip the two-factor code
                                (for as long as the platform says; not on a shared machine)
          login --access-key    Sign in with an access key: AUTHPLATFORM_ACCESS_KEY_ID and AUTHPLATFORM_SECRET,
                                or asked for
          logout                Sign out and delete the stored credentials
          whoami                Show the signed-in account
          keys create NAME      Create an access key; its secret is shown once
          keys list             List your access keys (never their secrets)
          keys revoke ID        Revoke an access key, by its id or its access key ID
          mfa status            Show whether two-factor authentication is on
          clients list          (administrators) List the OpenID Connect clients
          clients add CLIENT_ID --name NAME --redirect-uri URI [--redirect-uri URI…]
                                [--post-logout-redirect-uri URI…] [--scope SCOPE…] [--public]
                                (administrators) Register a client; a confidential client's secret is shown once.
                                Scopes: openid (always), profile, email, offline_access (default: openid profile email)
          clients remove CLIENT_ID
                                (administrators) Remove a client registered here, with its consents and tokens
          help                  Show this help

        Options:
          --gateway URL         The gateway (default: $AUTHPLATFORM_GATEWAY, else the one you signed in to,
                                else http://localhost:8080)
          --insecure            Allow plain http:// to a gateway that is not on this machine (passwords,
                                codes and tokens then cross the network in clear); https:// is the default
          -h, --help            Show this help
          --version             Show the version

        Credentials are kept in $XDG_CONFIG_HOME/authplatform/credentials.json (else
        ~/.config/authplatform/credentials.json), readable only by you. Exit codes: 0 done, 1 failed, 2 usage error.
        """;

    public static async Task<int> Main(string[] args)
    {
        try
        {
            return await RunAsync(args);
        }
        catch (CliException ex)
        {
            Terminal.Error(ex.Message);
            return ex.ExitCode;
        }
        catch (Exception ex)
        {
            // Never a stack trace: one line that still says what went wrong.
            Terminal.Error($"unexpected failure ({ex.GetType().Name}: {ex.Message})");
            return ExitCodes.Failure;
        }
        finally
        {
            Console.Out.Flush();
        }
    }

    private static async Task<int> RunAsync(string[] args)
    {
        var invocation = Invocation.Parse(args);
        if (invocation.Version)
        {
            Console.Out.WriteLine($"authplatform {Version}");
            return ExitCodes.Success;
        }
        var words = invocation.Words;
        if (invocation.Help || words is ["help", ..])
        {
            Console.Out.WriteLine(Help);
            return ExitCodes.Success;
        }
        if (words.Count == 0)
        {
            throw new UsageException("no command given; see `authplatform --help`");
        }
        if (invocation.AccessKey && words is not ["login"])
        {
            throw new UsageException("--access-key goes with `authplatform login`");
        }
        if (invocation.Remember && (words is not ["login"] || invocation.AccessKey))
        {
            throw new UsageException("--remember goes with `authplatform login` (with a password)");
        }
        if (invocation.ClientOptions.Count > 0 && words is not ["clients", "add", ..])
        {
            throw new UsageException($"{invocation.ClientOptions.Keys.First()} goes with `authplatform clients add`");
        }

        var commands = new Commands(invocation.ExplicitGateway(), CredentialStore.Default(), invocation.Insecure);
        return words switch
        {
            ["login"] when invocation.AccessKey => await commands.LoginWithAccessKeyAsync(),
            ["login"] => await commands.LoginAsync(invocation.Remember),
            ["logout"] => await commands.LogoutAsync(),
            ["whoami"] => await commands.WhoAmIAsync(),
            ["keys", "create", var name] => await commands.CreateKeyAsync(name),
            ["keys", "list"] => await commands.ListKeysAsync(),
            ["keys", "revoke", var id] => await commands.RevokeKeyAsync(id),
            ["mfa", "status"] => await commands.MfaStatusAsync(),
            ["clients", "list"] => await commands.ListClientsAsync(),
            ["clients", "add", var clientId] => await commands.AddClientAsync(clientId, invocation.ClientOptions),
            ["clients", "remove", var clientId] => await commands.RemoveClientAsync(clientId),
            ["clients", ..] => throw new UsageException(
                "usage: authplatform clients list | clients add CLIENT_ID --name NAME --redirect-uri URI [options] | clients remove CLIENT_ID"),
            ["keys", "create", ..] => throw new UsageException("usage: authplatform keys create NAME (quote a name with spaces)"),
            ["keys", "revoke", ..] => throw new UsageException("usage: authplatform keys revoke ID"),
            ["keys", ..] => throw new UsageException("usage: authplatform keys create NAME | keys list | keys revoke ID"),
            ["mfa", ..] => throw new UsageException("usage: authplatform mfa status"),
            ["login" or "logout" or "whoami", ..] => throw new UsageException($"`authplatform {words[0]}` takes no arguments"),
            _ => throw new UsageException($"unknown command '{Terminal.Safe(words[0])}'; see `authplatform --help`"),
        };
    }
}

/// <summary>The command line, parsed by hand: global options anywhere, <c>--</c> ends options.</summary>
public sealed record Invocation(IReadOnlyList<string> Words, string? Gateway, bool Help, bool Version, bool AccessKey, bool Insecure = false)
{
    /// <summary>The options of `clients add` that take a value (each may repeat), and --public (no value).</summary>
    public static readonly string[] ClientValueOptions = ["--name", "--redirect-uri", "--post-logout-redirect-uri", "--scope"];

    /// <summary>`clients add`'s options as given: option name → values ("--public" → [""]).</summary>
    public Dictionary<string, List<string>> ClientOptions { get; init; } = [];

    /// <summary>`login --remember`: ask the platform to remember this machine after the two-factor code.</summary>
    public bool Remember { get; init; }

    public static Invocation Parse(string[] args)
    {
        var words = new List<string>();
        string? gateway = null;
        bool help = false, version = false, accessKey = false, insecure = false, remember = false, optionsEnded = false;
        var clientOptions = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (optionsEnded || !arg.StartsWith('-') || arg == "-")
            {
                words.Add(arg);
                continue;
            }
            switch (arg)
            {
                case "--":
                    optionsEnded = true;
                    break;
                case "--gateway":
                    gateway = i + 1 < args.Length ? args[++i] : throw new UsageException("--gateway needs a URL");
                    break;
                case var _ when arg.StartsWith("--gateway=", StringComparison.Ordinal):
                    gateway = arg["--gateway=".Length..];
                    break;
                case "-h" or "--help":
                    help = true;
                    break;
                case "--version":
                    version = true;
                    break;
                case "--access-key":
                    accessKey = true;
                    break;
                case "--insecure":
                    insecure = true;
                    break;
                case "--remember":
                    remember = true;
                    break;
                case "--public":
                    clientOptions.TryAdd(arg, [""]);
                    break;
                case var _ when ClientValueOptions.Contains(arg):
                    var value = i + 1 < args.Length ? args[++i] : throw new UsageException($"{arg} needs a value");
                    (clientOptions.TryGetValue(arg, out var values) ? values : clientOptions[arg] = []).Add(value);
                    break;
                default:
                    throw new UsageException($"unknown option '{Terminal.Safe(arg)}'; see `authplatform --help`");
            }
        }
        return new Invocation(words, gateway, help, version, accessKey, insecure) { ClientOptions = clientOptions, Remember = remember };
    }

    /// <summary>--gateway, else AUTHPLATFORM_GATEWAY, checked and normalised; null when neither is given.</summary>
    public string? ExplicitGateway()
    {
        if (Gateway is not null)
        {
            return GatewayClient.Normalize(Gateway, "--gateway");
        }
        var fromEnvironment = Environment.GetEnvironmentVariable("AUTHPLATFORM_GATEWAY");
        return string.IsNullOrWhiteSpace(fromEnvironment) ? null : GatewayClient.Normalize(fromEnvironment, "AUTHPLATFORM_GATEWAY");
    }
}
