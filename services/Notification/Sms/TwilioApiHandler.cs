namespace AuthPlatform.Notification.Sms;

/// <summary>
/// The last handler before the network for the Twilio SDK's requests (<c>TwilioRestClient</c> →
/// <c>SystemNetHttpClient</c> → the IHttpClientFactory client of <see cref="TwilioSmsSender"/> → here).
/// </summary>
/// <remarks>
/// <para>The SDK always addresses <c>https://api.twilio.com</c> (with region and edge, <c>api.{edge}.{region}.twilio.com</c>).
/// When <c>Twilio__BaseUrl</c> names another place (a fake Twilio in tests, a regional host, a proxy), the scheme,
/// host and port are replaced by it, and its path, if any, is put before the SDK's path.</para>
/// <para>It also gives the request the send's cancellation and reports the answer's status and <c>Retry-After</c> to
/// the current <see cref="TwilioAttempt"/>, since the SDK passes on neither.</para>
/// </remarks>
public sealed class TwilioApiHandler(Uri baseUrl) : DelegatingHandler
{
    private static readonly Uri SdkBaseUrl = new(TwilioOptions.DefaultBaseUrl);

    private readonly bool _rebases = !SameOrigin(baseUrl, SdkBaseUrl) || baseUrl.AbsolutePath != "/";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_rebases && request.RequestUri is { IsAbsoluteUri: true } sdkUri)
        {
            request.RequestUri = Rebase(sdkUri, baseUrl);
        }

        var attempt = TwilioAttempt.Current;
        using var linked = attempt is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, attempt.CancellationToken);
        var response = await base.SendAsync(request, linked?.Token ?? cancellationToken);
        attempt?.Answered(response);
        return response;
    }

    /// <summary><paramref name="baseUrl"/>'s scheme, host, port and path, then the SDK's path and query.</summary>
    public static Uri Rebase(Uri sdkUri, Uri baseUrl) =>
        new(baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + sdkUri.PathAndQuery);

    private static bool SameOrigin(Uri a, Uri b) =>
        Uri.Compare(a, b, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
}
