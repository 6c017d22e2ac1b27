using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AuthPlatform.Portal.Pages;

/// <summary>What every portal page shares: a page-level message and safe local redirects.</summary>
public abstract class PortalPage : PageModel
{
    public const int MaxReturnUrlLength = 3072;

    /// <summary>A message about the whole form (shown at its top, announced to screen readers).</summary>
    public string? FormError { get; protected set; }

    /// <summary>
    /// Only paths on this site are followed after sign-in; anything else goes to the account page. Long enough for an
    /// OpenID Connect authorization request carried to the consent page (a relying party's state alone can be 1 kB).
    /// </summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 1 and < MaxReturnUrlLength } url && url[0] == '/' && url[1] != '/' && url[1] != '\\' && !url.Contains("://", StringComparison.Ordinal)
            ? url
            : "/account";

    /// <summary>The form's page again, with a status that says what happened (400 refused input, 429 throttled, 503 unavailable).</summary>
    protected PageResult PageWithStatus(int status)
    {
        HttpContext.Response.StatusCode = status;
        return Page();
    }

    protected PageResult Refused(ApiProblem problem)
    {
        FormError = ProblemMessages.For(problem);
        return PageWithStatus((int)problem.Status is >= 400 and < 600 ? (int)problem.Status : 400);
    }

    /// <summary>For flows shared by several pages: the refusal rendered on <paramref name="this"/> page.</summary>
    internal PageResult RefusedBy(ApiProblem problem) => Refused(problem);

    protected static string Trimmed(string? value, int max) => (value ?? "").Trim() is var trimmed && trimmed.Length <= max ? trimmed : trimmed[..max];
}
