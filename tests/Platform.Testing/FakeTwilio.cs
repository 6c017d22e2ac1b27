using System.Collections.Specialized;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Web;
using AuthPlatform.AppHost;

namespace AuthPlatform.Testing;

/// <summary>A text message the fake accepted.</summary>
public sealed record FakeSms(string Sid, string To, string? From, string? MessagingServiceSid, string Body, DateTimeOffset ReceivedAt)
{
    /// <summary>The six-digit code in the text (see <see cref="FakeTwilio.CodeIn"/>).</summary>
    public string Code => FakeTwilio.CodeIn(Body);
}

/// <summary>One request to the Messages endpoint and the status the fake answered, failures included.</summary>
/// <param name="To">The form's <c>To</c>.</param>
/// <param name="Received">What came over the wire.</param>
public sealed record FakeTwilioRequest(DateTimeOffset ReceivedAt, int Status, int? ErrorCode, string? To, FakeTwilioWire Received);

/// <summary>A request as the fake received it: what a client library puts on the wire.</summary>
/// <param name="BasicUser">The user name of HTTP Basic credentials (the password is checked, not kept).</param>
/// <param name="Form">The form fields in the order sent; empty when the body is not a form.</param>
public sealed record FakeTwilioWire(string Method, string Path, string? ContentType, string? BasicUser, string? UserAgent,
    IReadOnlyList<KeyValuePair<string, string?>> Form)
{
    /// <summary>The names of the form fields, in the order sent.</summary>
    public IReadOnlyList<string> FieldNames => [.. Form.Select(pair => pair.Key)];
}

/// <summary>
/// A fake of Twilio's Messages API (<c>POST /2010-04-01/Accounts/{sid}/Messages.json</c>) on a free loopback
/// port, for tests that need to see the texts the platform sends. It checks what Twilio checks first (HTTP Basic
/// <c>AccountSid:AuthToken</c>, then <c>To</c>, <c>Body</c> and <c>From</c> or <c>MessagingServiceSid</c>),
/// answers as the real API does, so that the <c>Twilio</c> SDK reads it: 201 with a message resource (<c>sid</c>,
/// <c>status</c>, dates in RFC 2822 form, …) or Twilio's error object (<c>code</c>, <c>message</c>, <c>more_info</c>,
/// <c>status</c>). It can be told to fail the next requests (429 with Retry-After, 500, 400 21211), to answer with
/// a page that is not Twilio's JSON (a proxy in front of Twilio), or to answer late.
/// </summary>
/// <remarks>Point a service at it with <see cref="Environment"/>. Start it with <see cref="StartAsync"/>.</remarks>
public sealed class FakeTwilio : IAsyncDisposable
{
    private static readonly Regex MessagesPath = new("^/2010-04-01/Accounts/(?<sid>[^/]+)/Messages\\.json$", RegexOptions.CultureInvariant);
    private static readonly Regex OriginBoundCode = new(@"(?:^|\n)@\S+ #(?<code>\d{6})(?:\s|$)", RegexOptions.CultureInvariant);
    private static readonly Regex AnyCode = new(@"(?<!\d)\d{6}(?!\d)", RegexOptions.CultureInvariant);

    private readonly Lock _gate = new();
    private readonly List<FakeSms> _messages = [];
    private readonly List<FakeTwilioRequest> _requests = [];
    private readonly Queue<CannedAnswer> _cannedAnswers = new();
    private HttpListener? _listener;
    private int _arrived;
    private Task? _loop;

    public FakeTwilio(string? accountSid = null, string? authToken = null, string from = "+15005550006")
    {
        AccountSid = accountSid ?? "AC" + RandomHex();
        AuthToken = authToken ?? RandomHex();
        From = from;
    }

    public string AccountSid { get; }

    public string AuthToken { get; }

    /// <summary>The sending number the platform should be configured with (any From is accepted).</summary>
    public string From { get; }

    /// <summary><c>http://127.0.0.1:{port}</c>, for <c>Twilio__BaseUrl</c>; set once started.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The settings a service needs to send through this fake.</summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["Twilio__AccountSid"] = AccountSid,
        ["Twilio__AuthToken"] = AuthToken,
        ["Twilio__From"] = From,
        ["Twilio__BaseUrl"] = BaseUrl,
    };

    /// <summary>The messages accepted so far, oldest first.</summary>
    public IReadOnlyList<FakeSms> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>Every request to the Messages endpoint so far, oldest first, with the status it got.</summary>
    public IReadOnlyList<FakeTwilioRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Requests that reached the Messages endpoint, including those still waiting for a late answer.</summary>
    public int Arrived => Volatile.Read(ref _arrived);

    /// <summary>Starts listening on a free loopback port.</summary>
    public Task<FakeTwilio> StartAsync()
    {
        if (_listener is not null)
        {
            throw new InvalidOperationException("The fake Twilio is already started.");
        }
        // The port is free when chosen but may be taken before we bind it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            var port = Ports.Free();
            var candidate = new HttpListener();
            candidate.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                candidate.Start();
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                candidate.Close();
                continue;
            }
            _listener = candidate;
            BaseUrl = $"http://127.0.0.1:{port}";
            _loop = Task.Run(() => LoopbackListener.ServeAsync(candidate, HandleAsync));
            return Task.FromResult(this);
        }
    }

    /// <summary>The next <paramref name="count"/> valid requests get 429 (error 20429) with <c>Retry-After</c>.</summary>
    public void RespondTooManyRequests(int count = 1, int retryAfterSeconds = 1) =>
        Enqueue(count, new CannedAnswer(429, 20429, "Too Many Requests", retryAfterSeconds));

    /// <summary>The next <paramref name="count"/> valid requests get 500 (error 20500).</summary>
    public void RespondServerError(int count = 1) =>
        Enqueue(count, new CannedAnswer(500, 20500, "Internal Server Error", null));

    /// <summary>The next <paramref name="count"/> valid requests get 400 with error 21211 (invalid 'To'), quoting the number as Twilio does.</summary>
    public void RespondInvalidTo(int count = 1) =>
        Enqueue(count, new CannedAnswer(400, 21211, "Invalid 'To' Phone Number", null));

    /// <summary>The next <paramref name="count"/> valid requests get <paramref name="status"/> with a Twilio error.</summary>
    public void RespondWith(int count, int status, int errorCode, string message = "Canned failure", int? retryAfterSeconds = null) =>
        Enqueue(count, new CannedAnswer(status, errorCode, message, retryAfterSeconds));

    /// <summary>
    /// The next <paramref name="count"/> valid requests get <paramref name="status"/> with an HTML page instead of
    /// Twilio's JSON, as a proxy or load balancer in front of Twilio answers (a 2xx page: accepted, unreadable).
    /// </summary>
    public void RespondWithPage(int count, int status) =>
        Enqueue(count, new CannedAnswer(status, null, $"<html><body><h1>{status}</h1></body></html>", null));

    /// <summary>The next <paramref name="count"/> valid requests are answered (normally) only after <paramref name="delay"/>.</summary>
    public void RespondLate(int count, TimeSpan delay) =>
        Enqueue(count, new CannedAnswer(null, null, "", null, delay));

    /// <summary>Waits for the <paramref name="count"/>-th message to <paramref name="to"/>.</summary>
    public async Task<FakeSms> WaitForMessageAsync(string to, int count = 1, TimeSpan? timeout = null)
    {
        FakeSms? found = null;
        await PlatformFixture.EventuallyAsync($"SMS #{count} reaches {to}", () =>
        {
            var matching = Messages.Where(m => m.To == to).ToList();
            found = matching.Count >= count ? matching[count - 1] : null;
            return Task.FromResult(found is not null);
        }, timeout ?? TimeSpan.FromSeconds(30));
        return found!;
    }

    /// <summary>
    /// The six-digit code in a text: the one on an origin-bound last line (<c>@host #123456</c>) when there is
    /// one, else the first run of exactly six digits.
    /// </summary>
    public static string CodeIn(string body)
    {
        var normalised = body.Replace("\r\n", "\n");
        if (OriginBoundCode.Matches(normalised) is { Count: > 0 } bound)
        {
            return bound[^1].Groups["code"].Value;
        }
        return AnyCode.Match(normalised) is { Success: true } any
            ? any.Value
            : throw new InvalidOperationException($"No six-digit code in: {body}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_listener is null)
        {
            return;
        }
        _listener.Stop();
        _listener.Close();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
            }
        }
        _listener = null;
    }

    private void Enqueue(int count, CannedAnswer answer)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _cannedAnswers.Enqueue(answer);
            }
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        using (response)
        {
            var requestPath = request.Url?.AbsolutePath ?? "";
            var path = MessagesPath.Match(requestPath);
            if (request.HttpMethod != "POST" || !path.Success)
            {
                await ErrorAsync(response, 404, 20404, $"The requested resource {requestPath} was not found");
                return;
            }
            Interlocked.Increment(ref _arrived);

            NameValueCollection form;
            using (var reader = new StreamReader(request.InputStream, Encoding.UTF8))
            {
                var isForm = request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;
                form = HttpUtility.ParseQueryString(isForm ? await reader.ReadToEndAsync() : "");
            }
            var (user, password) = BasicCredentials(request.Headers["Authorization"]);
            var wire = new FakeTwilioWire(request.HttpMethod, requestPath, request.ContentType, user, request.UserAgent,
                [.. form.AllKeys.SelectMany(key => (form.GetValues(key) ?? []).Select(value => new KeyValuePair<string, string?>(key ?? "", value)))]);
            if (user != AccountSid || password != AuthToken || path.Groups["sid"].Value != AccountSid)
            {
                Record(401, 20003, null, wire);
                response.AddHeader("WWW-Authenticate", "Basic realm=\"Twilio API\"");
                await ErrorAsync(response, 401, 20003, "Authenticate", "Your AccountSid or AuthToken was incorrect.");
                return;
            }

            var to = form["To"];
            var body = form["Body"];
            var from = form["From"];
            var service = form["MessagingServiceSid"];
            var invalid = string.IsNullOrWhiteSpace(to) ? (21604, "A 'To' phone number is required.")
                : string.IsNullOrWhiteSpace(body) ? (21602, "Message body is required.")
                : string.IsNullOrWhiteSpace(from) && string.IsNullOrWhiteSpace(service) ? (21603, "A 'From' phone number is required.")
                : !Regex.IsMatch(to, @"^\+[1-9]\d{6,14}$") ? (21211, $"Invalid 'To' Phone Number: {to}")
                : ((int Code, string Message)?)null;
            if (invalid is { } error)
            {
                Record(400, error.Code, to, wire);
                await ErrorAsync(response, 400, error.Code, error.Message);
                return;
            }

            CannedAnswer? next = null;
            lock (_gate)
            {
                if (_cannedAnswers.Count > 0)
                {
                    next = _cannedAnswers.Dequeue();
                }
            }
            if (next?.Delay is { } delay)
            {
                await Task.Delay(delay);
            }
            if (next is { Status: { } status } canned)
            {
                Record(status, canned.Code, to, wire);
                if (canned.RetryAfterSeconds is { } seconds)
                {
                    response.AddHeader("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
                if (canned.Code is { } code)
                {
                    await ErrorAsync(response, status, code, code == 21211 ? $"{canned.Message}: {to}" : canned.Message);
                }
                else
                {
                    await PageAsync(response, status, canned.Message);
                }
                return;
            }

            var message = new FakeSms("SM" + RandomHex(), to!, from, service, body!, DateTimeOffset.UtcNow);
            lock (_gate)
            {
                _requests.Add(new FakeTwilioRequest(message.ReceivedAt, 201, null, to, wire));
                _messages.Add(message);
            }
            // The fields and formats of Twilio's answer: counts as strings, dates in RFC 2822 form with +0000.
            var created = message.ReceivedAt.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", System.Globalization.CultureInfo.InvariantCulture);
            var uri = $"/2010-04-01/Accounts/{AccountSid}/Messages/{message.Sid}";
            await JsonAsync(response, 201, new Dictionary<string, object?>
            {
                ["body"] = message.Body,
                ["num_segments"] = "1",
                ["direction"] = "outbound-api",
                ["from"] = from,
                ["to"] = message.To,
                ["date_updated"] = created,
                ["price"] = null,
                ["error_message"] = null,
                ["uri"] = uri + ".json",
                ["account_sid"] = AccountSid,
                ["num_media"] = "0",
                ["status"] = service is null ? "queued" : "accepted",
                ["messaging_service_sid"] = service,
                ["sid"] = message.Sid,
                ["date_sent"] = null,
                ["date_created"] = created,
                ["error_code"] = null,
                ["price_unit"] = "USD",
                ["api_version"] = "2010-04-01",
                ["subresource_uris"] = new Dictionary<string, string> { ["media"] = uri + "/Media.json" },
            });
        }
    }

    private static (string? User, string? Password) BasicCredentials(string? header)
    {
        if (header is null || !header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return (null, null);
        }
        try
        {
            var credentials = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            var colon = credentials.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (credentials, null) : (credentials[..colon], credentials[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return (null, null);
        }
    }

    private void Record(int status, int? code, string? to, FakeTwilioWire wire)
    {
        lock (_gate)
        {
            _requests.Add(new FakeTwilioRequest(DateTimeOffset.UtcNow, status, code, to, wire));
        }
    }

    private static Task ErrorAsync(HttpListenerResponse response, int status, int code, string message, string? detail = null)
    {
        var error = new Dictionary<string, object?> { ["code"] = code };
        if (detail is not null)
        {
            error["detail"] = detail;
        }
        error["message"] = message;
        error["more_info"] = $"https://www.twilio.com/docs/errors/{code}";
        error["status"] = status;
        return JsonAsync(response, status, error);
    }

    private static async Task PageAsync(HttpListenerResponse response, int status, string html)
    {
        var bytes = Encoding.UTF8.GetBytes(html);
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
    }

    private static async Task JsonAsync(HttpListenerResponse response, int status, object body)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
    }

    private static string RandomHex() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>A Twilio error (<see cref="Code"/> set), a page (no code), or, without a status, a normal answer after <see cref="Delay"/>.</summary>
    private sealed record CannedAnswer(int? Status, int? Code, string Message, int? RetryAfterSeconds, TimeSpan? Delay = null);
}
