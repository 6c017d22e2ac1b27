namespace AuthPlatform.Notification.Sms;

/// <summary>
/// Settings under <c>Twilio:</c> (design §3): <c>Twilio__AccountSid</c>, <c>Twilio__AuthToken</c>,
/// <c>Twilio__From</c> or <c>Twilio__MessagingServiceSid</c>, and <c>Twilio__BaseUrl</c>.
/// </summary>
public sealed class TwilioOptions
{
    public const string SectionName = "Twilio";

    public const string DefaultBaseUrl = "https://api.twilio.com";

    public string? AccountSid { get; set; }

    /// <summary>The account's auth token: HTTP Basic password. Never logged.</summary>
    public string? AuthToken { get; set; }

    /// <summary>The sending number (E.164), short code or alphanumeric sender id.</summary>
    public string? From { get; set; }

    /// <summary>A Messaging Service (<c>MG…</c>) that picks the sender; used instead of, or with, <see cref="From"/>.</summary>
    public string? MessagingServiceSid { get; set; }

    /// <summary>
    /// Where the SDK's requests go instead of <see cref="DefaultBaseUrl"/> (see <see cref="TwilioApiHandler"/>): a fake
    /// Twilio in tests, or e.g. a regional host.
    /// </summary>
    public string BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>HTTP requests per send, retries of 429 and 5xx included. The bus retries the message after that.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>First backoff when the provider names no Retry-After; doubled per attempt, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The most time one send may spend waiting between attempts. A Retry-After beyond it is not waited for
    /// inside the worker: the send reports a transient failure and the bus retries later.
    /// </summary>
    public TimeSpan RetryBudget { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Per HTTP request (the SDK's client's <c>HttpClient.Timeout</c>).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest one send can take: every request at its timeout and the whole retry budget waited.</summary>
    public TimeSpan LongestSend => MaxAttempts * RequestTimeout + RetryBudget;

    /// <summary>Account SID, auth token and a sender (From or Messaging Service) are all set.</summary>
    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(AccountSid) && !string.IsNullOrWhiteSpace(AuthToken) && HasSender;

    /// <summary>At least one of the credentials or senders is set (so an incomplete set is a mistake, not "not configured").</summary>
    public bool IsPartlyConfigured =>
        !string.IsNullOrWhiteSpace(AccountSid) || !string.IsNullOrWhiteSpace(AuthToken) || HasSender;

    private bool HasSender => !string.IsNullOrWhiteSpace(From) || !string.IsNullOrWhiteSpace(MessagingServiceSid);

    /// <summary>The names of the settings still missing, in environment-variable form.</summary>
    public IReadOnlyList<string> MissingSettings()
    {
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(AccountSid))
        {
            missing.Add("Twilio__AccountSid");
        }
        if (string.IsNullOrWhiteSpace(AuthToken))
        {
            missing.Add("Twilio__AuthToken");
        }
        if (!HasSender)
        {
            missing.Add("Twilio__From (or Twilio__MessagingServiceSid)");
        }
        return missing;
    }
}
