using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace AuthPlatform.Bench.Flows;

/// <summary>Reads emails from MailDev's REST API (GET /email: the emails it holds, as JSON, filtered by query).</summary>
public static partial class MailDev
{
    public sealed record Recipient(string? Address);

    public sealed record Email(IReadOnlyList<Recipient>? To, string? Subject, string? Text);

    [GeneratedRegex(@"/verify-email\?token=([A-Za-z0-9_-]+)")]
    private static partial Regex VerifyLink();

    /// <summary>Polls until the "Verify your email" email to <paramref name="to"/> arrives; its link's token.</summary>
    public static async Task<string> WaitForVerifyTokenAsync(BenchContext context, string to, CancellationToken cancellationToken, TimeSpan? pollEvery = null)
    {
        while (true)
        {
            // MailDev filters on the server (?to.address=…): with thousands of bench accounts, all emails would be megabytes.
            var emails = await context.Http.GetFromJsonAsync<List<Email>>(
                context.Mail($"email?to.address={Uri.EscapeDataString(to)}"), cancellationToken) ?? [];
            var match = emails
                .Where(e => e.To?.Any(a => string.Equals(a.Address, to, StringComparison.OrdinalIgnoreCase)) == true
                            && e.Subject?.Contains("Verify your email", StringComparison.Ordinal) == true)
                .Select(e => VerifyLink().Match(e.Text ?? ""))
                .FirstOrDefault(m => m.Success);
            if (match is not null)
            {
                return match.Groups[1].Value;
            }
            await Task.Delay(pollEvery ?? TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }
}
