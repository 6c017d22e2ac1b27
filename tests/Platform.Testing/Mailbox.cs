using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AuthPlatform.Testing;

public sealed record ReceivedEmail(string Id, string To, string Subject, string Html, string Text)
{
    /// <summary>The first link in the text part that starts with <paramref name="prefix"/>.</summary>
    public string LinkStartingWith(string prefix) =>
        Regex.Match(Text, Regex.Escape(prefix) + @"[^\s""<>]+") is { Success: true } match
            ? match.Value
            : throw new InvalidOperationException($"No link starting with {prefix} in: {Text}");
}

/// <summary>Reads what the platform really sent, from MailDev's REST API (GET /email).</summary>
public sealed class Mailbox(string webUrl)
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(webUrl), Timeout = TimeSpan.FromSeconds(10) };

    public async Task<IReadOnlyList<ReceivedEmail>> AllToAsync(string address)
    {
        var emails = await _http.GetFromJsonAsync<JsonElement>("/email");
        var received = new List<ReceivedEmail>();
        foreach (var email in emails.EnumerateArray())
        {
            var to = email.GetProperty("to").EnumerateArray().Select(t => t.GetProperty("address").GetString()).ToList();
            if (to.Any(t => string.Equals(t, address, StringComparison.OrdinalIgnoreCase)))
            {
                received.Add(new ReceivedEmail(
                    email.GetProperty("id").GetString()!,
                    address,
                    email.GetProperty("subject").GetString() ?? "",
                    email.TryGetProperty("html", out var html) ? html.GetString() ?? "" : "",
                    email.TryGetProperty("text", out var text) ? text.GetString() ?? "" : ""));
            }
        }
        return received;
    }

    /// <summary>How many emails each recipient got (addresses lower-cased), from one read of the sink.</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountByRecipientAsync()
    {
        var emails = await _http.GetFromJsonAsync<JsonElement>("/email");
        return emails.EnumerateArray()
            .SelectMany(email => email.GetProperty("to").EnumerateArray().Select(t => t.GetProperty("address").GetString()!.ToLowerInvariant()))
            .GroupBy(address => address)
            .ToDictionary(g => g.Key, g => g.Count());
    }

    /// <summary>Waits for the <paramref name="count"/>-th email to <paramref name="address"/> whose subject contains <paramref name="subject"/>.</summary>
    public async Task<ReceivedEmail> WaitForAsync(string address, string subject, int count = 1, TimeSpan? timeout = null)
    {
        ReceivedEmail? found = null;
        await PlatformFixture.EventuallyAsync($"email #{count} \"{subject}\" reaches {address}", async () =>
        {
            var matching = (await AllToAsync(address)).Where(e => e.Subject.Contains(subject, StringComparison.OrdinalIgnoreCase)).ToList();
            found = matching.Count >= count ? matching[count - 1] : null;
            return found is not null;
        }, timeout ?? TimeSpan.FromSeconds(30));
        return found!;
    }
}
