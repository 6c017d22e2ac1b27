using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages.Account.AccessKeys;

/// <summary>Revoking a key asks first; then DELETE /api/access-keys/{id}.</summary>
public sealed class RevokeAccessKeyModel(PlatformApi api) : AccountPage
{
    public AccessKeySummary? Key { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id) => await LoadAsync(id) ?? (Key is null ? NotFound() : Page());

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        if (await AccessTokenAsync() is not { } accessToken)
        {
            return SessionEnded();
        }
        var revoked = await api.RevokeAccessKeyAsync(accessToken, id, HttpContext.RequestAborted);
        if (revoked.Problem is { } problem)
        {
            return Leave(problem, AccessKeysModel.Path) ?? Shown(problem);
        }
        return Redirect(AccessKeysModel.Path + "?notice=revoked");
    }

    private async Task<IActionResult?> LoadAsync(Guid id)
    {
        if (await AccessTokenAsync() is not { } accessToken)
        {
            return SessionEnded();
        }
        var keys = await api.ListAccessKeysAsync(accessToken, HttpContext.RequestAborted);
        if (keys.Problem is { } problem)
        {
            return Leave(problem, AccessKeysModel.Path) ?? Shown(problem);
        }
        Key = keys.Value?.FirstOrDefault(k => k.Id == id);
        return null;
    }
}
