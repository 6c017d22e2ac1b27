using Microsoft.AspNetCore.Http;

namespace AuthPlatform.Web.Problems;

/// <summary>The problem "type" URIs of the public contract: one base for every service, a stable name each.</summary>
public static class ProblemTypes
{
    public const string Base = "https://authplatform.dev/problems/";
}

/// <summary>The <c>Retry-After</c> header of a refusal.</summary>
public static class RetryAfterHeader
{
    /// <summary>Sets it to <paramref name="wait"/> in whole seconds, rounded up and at least 1; returns them for the message.</summary>
    public static int Set(HttpResponse response, TimeSpan wait)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return seconds;
    }
}
