using System.Net.Http.Headers;

namespace AuthPlatform.Notification.Sms;

/// <summary>
/// One request that <see cref="TwilioSmsSender"/> makes through the Twilio SDK, as <see cref="TwilioApiHandler"/>
/// sees it on the wire: the caller's cancellation going in, the HTTP status and <c>Retry-After</c> coming back.
/// </summary>
/// <remarks>
/// The SDK's <c>MessageResource.CreateAsync</c> takes no cancellation token, and the <c>ApiException</c> it throws
/// for an error keeps neither the response headers nor, for a body that is not Twilio's JSON (a proxy's error page),
/// the HTTP status. The sender starts an attempt around each SDK call; the handler, running in the same async flow,
/// finds it through an <see cref="AsyncLocal{T}"/>. The handler itself stays stateless, as IHttpClientFactory's
/// pooled handlers must.
/// </remarks>
public sealed class TwilioAttempt
{
    private static readonly AsyncLocal<TwilioAttempt?> CurrentAttempt = new();

    private TwilioAttempt(CancellationToken cancellationToken)
    {
        CancellationToken = cancellationToken;
    }

    /// <summary>The attempt of the current async flow, if the request comes from <see cref="TwilioSmsSender"/>.</summary>
    public static TwilioAttempt? Current => CurrentAttempt.Value;

    /// <summary>The send's cancellation, which the SDK cannot pass on itself.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The HTTP status of Twilio's answer; null while none came (unreachable, timed out).</summary>
    public int? HttpStatus { get; private set; }

    /// <summary>Twilio's <c>Retry-After</c> on that answer, if it gave one.</summary>
    public RetryConditionHeaderValue? RetryAfter { get; private set; }

    /// <summary>
    /// Starts an attempt for the calling async method and everything it awaits. Call it inside the async method
    /// that makes the SDK call: the value then ends with that method, as <see cref="AsyncLocal{T}"/> values do.
    /// </summary>
    public static TwilioAttempt Start(CancellationToken cancellationToken)
    {
        var attempt = new TwilioAttempt(cancellationToken);
        CurrentAttempt.Value = attempt;
        return attempt;
    }

    internal void Answered(HttpResponseMessage response)
    {
        HttpStatus = (int)response.StatusCode;
        RetryAfter = response.Headers.RetryAfter;
    }
}
