using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages;

/// <summary>The front page: signed in, straight to the account; otherwise sign in or sign up.</summary>
public sealed class HomeModel : PortalPage
{
    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? Redirect("/account") : Page();
}
