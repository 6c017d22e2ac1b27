namespace AuthPlatform.Portal.Pages.SignUp;

/// <summary>After sign-up: where the link went, and a way to have it sent again.</summary>
public sealed class CheckEmailModel(SealedCookie cookies) : PortalPage
{
    public string? Email { get; private set; }

    public void OnGet() => Email = cookies.Read<PendingSignUp>(HttpContext, PortalCookies.SignUp)?.Email;
}
