using System.Globalization;

namespace AuthPlatform.Bench;

public sealed record BenchOptions(
    Uri Gateway,
    Uri Mail,
    IReadOnlyList<int> Concurrency,
    TimeSpan Duration,
    TimeSpan Warmup,
    int? Accounts,
    int? Prefetch,
    string? Json = null,
    Uri? Direct = null,
    Uri? SmsProvider = null)
{
    public static string Usage => $$"""
        Usage:
          AuthPlatform.Bench <flow> [--gateway URL] [--mail URL] [--concurrency N[,N…]] [--duration S] [--warmup S] [--accounts N] [--prefetch N] [--json FILE] [--direct URL] [--sms-provider URL]
          AuthPlatform.Bench hash        (BenchmarkDotNet: one PBKDF2 password hash; needs a Release build)
          AuthPlatform.Bench hash --ceiling [--json FILE]   (the sign-in ceiling now: cores ÷ one hash on every core, in ~2 s)

        Flows: {{string.Join(", ", FlowCatalog.All.Keys)}}
          --gateway      the gateway's base URL                  (default http://localhost:8080)
          --mail         MailDev's web/REST base URL             (default http://localhost:15306)
          --concurrency  workers; a comma list runs each level   (default 4)
          --duration     measured seconds per level              (default 20)
          --warmup       unmeasured seconds before each level    (default 3)
          --accounts     accounts the flow's set-up creates      (default: signin 8, mfa-step 200, signin-totp 300,
                                                                  client-credentials 4)
          --prefetch     mfa-step: mfaTokens fetched, unmeasured, before each measured phase (a quarter before each
                         warm-up); default 2 × accounts
          --json         also write the measured rows (with their UTC windows) to FILE, for ./bench.sh's report
          --direct       read-me, read-mfa: send the measured GETs straight to this service instead of the gateway
                         (set-up still goes through it), to see what the gateway adds; the flow is reported as
                         "<flow>-direct"
          --sms-provider sms-code: answer as Twilio here (the platform's Twilio__BaseUrl, e.g. http://127.0.0.1:19340)
        """;

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new FormatException($"Expected '--option value' at '{args[i]}'.");
            }
            values[args[i][2..]] = args[i + 1];
        }
        var known = new[] { "gateway", "mail", "concurrency", "duration", "warmup", "accounts", "prefetch", "json", "direct", "sms-provider" };
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            throw new FormatException($"Unknown option --{unknown}.");
        }

        string Get(string name, string fallback) => values.TryGetValue(name, out var value) ? value : fallback;
        var options = new BenchOptions(
            BaseUri(Get("gateway", "http://localhost:8080"), "gateway"),
            BaseUri(Get("mail", "http://localhost:15306"), "mail"),
            Get("concurrency", "4").Split(',').Select(c => Number(c, "concurrency", 1)).ToArray(),
            TimeSpan.FromSeconds(Number(Get("duration", "20"), "duration", 1)),
            TimeSpan.FromSeconds(Number(Get("warmup", "3"), "warmup", 0)),
            values.TryGetValue("accounts", out var accounts) ? Number(accounts, "accounts", 1) : null,
            values.TryGetValue("prefetch", out var prefetch) ? Number(prefetch, "prefetch", 1) : null,
            values.GetValueOrDefault("json"),
            values.TryGetValue("direct", out var direct) ? BaseUri(direct, "direct") : null,
            values.TryGetValue("sms-provider", out var provider) ? BaseUri(provider, "sms-provider") : null);
        return options;
    }

    private static int Number(string text, string name, int min) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min
            ? value
            : throw new FormatException($"--{name} needs a whole number of at least {min}, not '{text}'.");

    private static Uri BaseUri(string text, string name) =>
        Uri.TryCreate(text.TrimEnd('/') + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new FormatException($"--{name} needs an http(s) URL, not '{text}'.");
}
