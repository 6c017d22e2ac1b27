using System.Net;

namespace AuthPlatform.Gateway.Hosting;

/// <summary>
/// What a browser on a portal page sees when the gateway itself refuses (rate limit, oversized form): a short HTML
/// page with the portal's stylesheet, not problem+json. API paths keep their problem documents.
/// </summary>
public static class RefusalPage
{
    public static async Task WriteAsync(HttpContext context, int status, string heading, string message)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'";
        response.Headers.CacheControl = "no-store";
        await response.WriteAsync($"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{WebUtility.HtmlEncode(heading)} · AuthPlatform</title><link rel="stylesheet" href="/css/portal.css"></head>
            <body><main id="main" class="wrap"><h1>{WebUtility.HtmlEncode(heading)}</h1>
            <div class="card"><p>{WebUtility.HtmlEncode(message)}</p><p><a href="/">Go to the start page</a></p></div></main></body></html>
            """, context.RequestAborted);
    }
}
