using Microsoft.AspNetCore.Http;

namespace AuthPlatform.Web.Pages;

/// <summary>The small server-rendered pages behind emailed links: strict headers, no script, no referrer.</summary>
public static class HtmlPage
{
    public static IResult Render(HttpContext context, string body, int status)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";
        headers["Referrer-Policy"] = "no-referrer"; // the link's token is in the URL
        headers.XFrameOptions = "DENY";
        headers.CacheControl = "no-store";
        return Results.Content($$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <title>AuthPlatform</title>
            <style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2937}
            input{display:block;width:100%;padding:.6rem;margin:.5rem 0 1rem;font-size:1rem;box-sizing:border-box}
            button{background:#2563eb;color:#fff;border:0;border-radius:.5rem;padding:.75rem 1.5rem;font-size:1rem;cursor:pointer}</style>
            </head><body>{{body}}</body></html>
            """, "text/html; charset=utf-8", statusCode: status);
    }
}
