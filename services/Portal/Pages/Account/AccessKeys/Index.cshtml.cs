using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages.Account.AccessKeys;

/// <summary>
/// Access keys: the list (GET /api/access-keys) and a form to create one (POST /api/access-keys). A new key's secret
/// waits sealed in a cookie for the next page, which shows it once (with a copy button) and forgets it.
/// </summary>
public sealed class AccessKeysModel(PlatformApi api, SealedCookie cookies) : AccountPage
{
    public const string Path = "/account/access-keys";

    /// <summary>The API's limit on a key's name.</summary>
    public const int MaxNameLength = 100;

    public IReadOnlyList<AccessKeySummary> Keys { get; private set; } = [];

    public FreshAccessKey? Created { get; private set; }

    public string? Name { get; private set; }

    public string? NameError { get; private set; }

    public string? Notice { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? notice)
    {
        Created = cookies.Read<FreshAccessKey>(HttpContext, AccountSteps.NewAccessKeyCookie);
        if (Created is not null)
        {
            cookies.Delete(HttpContext, AccountSteps.NewAccessKeyCookie);
        }
        Notice = notice == "revoked" ? "The key was revoked. Programs using it can no longer get new tokens." : null;
        return await LoadAsync() ?? Page();
    }

    public async Task<IActionResult> OnPostAsync(string? name)
    {
        Name = Trimmed(name, MaxNameLength + 1);
        if (Name.Length == 0)
        {
            NameError = "Enter a name for the key.";
        }
        else if (Name.Length > MaxNameLength || Name.Any(char.IsControl))
        {
            NameError = $"Use at most {MaxNameLength} characters.";
        }
        if (NameError is not null)
        {
            FormError = "Check the highlighted field.";
            return await LoadAsync() ?? PageWithStatus(StatusCodes.Status400BadRequest);
        }
        if (await AccessTokenAsync() is not { } accessToken)
        {
            return SessionEnded();
        }
        var created = await api.CreateAccessKeyAsync(accessToken, Name, HttpContext.RequestAborted);
        if (created.Value is not { } key)
        {
            var problem = created.Problem!;
            if (problem.Is("invalid-request"))
            {
                NameError = AccountMessages.For(problem);
            }
            return Leave(problem, Path) ?? await LoadAsync() ?? Shown(problem);
        }
        cookies.Write(HttpContext, AccountSteps.NewAccessKeyCookie, new FreshAccessKey(key.Name, key.AccessKeyId, key.Secret), AccountSteps.ShownOnceLifetime);
        return Redirect(Path);
    }

    private async Task<IActionResult?> LoadAsync()
    {
        if (await AccessTokenAsync() is not { } accessToken)
        {
            return SessionEnded();
        }
        var keys = await api.ListAccessKeysAsync(accessToken, HttpContext.RequestAborted);
        if (keys.Problem is { } problem)
        {
            return Leave(problem, Path) ?? Shown(problem);
        }
        Keys = keys.Value ?? [];
        return null;
    }
}
