using AuthPlatform.Servers;
using AuthPlatform.Web.Problems;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages;

/// <summary>
/// The page for every failure outside a form's own messages: an exception (never its details), or a bare status code
/// (a refused or expired form, an unknown address, an oversized request). It keeps the original status.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PortalPage
{
    public string Heading { get; private set; } = "Something went wrong";

    public string Message { get; private set; } = "Something went wrong on our side. Please try again in a minute.";

    public IActionResult OnGet(int? status) => Show(status);

    public IActionResult OnPost(int? status) => Show(status);

    private IActionResult Show(int? status)
    {
        var code = HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error switch
        {
            // A server the page needs is down (its key ring's database, say): the person can only wait, so say so.
            { } failure when DependencyFailure.Is(failure) => 503,
            not null => 500,
            null => status ?? HttpContext.Response.StatusCode,
        };
        (Heading, Message) = code switch
        {
            400 => ("This form could not be sent", "The page may have been open for too long, or what was sent was not valid. Go back, reload the page and try again."),
            404 => ("Page not found", "There is no page at this address. Check the link, or start again from the start page."),
            405 => ("This form could not be sent", "Go back, reload the page and try again."),
            413 => ("That was too much to send", "What you entered is too long. Go back and shorten it."),
            429 => ("Too many requests", "Please wait a minute and try again."),
            503 => ("Temporarily unavailable", "Part of AuthPlatform cannot be reached right now. Nothing was lost; please try again in a minute."),
            _ => (Heading, Message),
        };
        if (code is >= 400 and < 600)
        {
            HttpContext.Response.StatusCode = code;
        }
        if (code == 503)
        {
            RetryAfterHeader.Set(HttpContext.Response, DependencyFailure.RetryAfter);
        }
        return Page();
    }
}
