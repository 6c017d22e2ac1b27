using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages.Account;

/// <summary>
/// Connected apps: the apps the person allowed to use their account ("Sign in with AuthPlatform"), GET
/// /api/connected-apps; "Remove access" (DELETE /api/connected-apps/{clientId}) revokes the app's tokens at once, and
/// its next sign-in asks for consent again. The account page shows the same list (<c>_ConnectedApps</c>).
/// </summary>
public sealed class ConnectedAppsModel(PlatformApi api) : AccountPage
{
    public const string Path = "/account/connected-apps";

    public IReadOnlyList<ConnectedApp> Apps { get; private set; } = [];

    public string? Notice { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? removed)
    {
        if (await AccessTokenAsync() is not { } accessToken)
        {
            return SessionEnded();
        }
        var apps = await api.ListConnectedAppsAsync(accessToken, HttpContext.RequestAborted);
        if (apps.Problem is { } problem)
        {
            return Leave(problem, Path) ?? Shown(problem);
        }
        Apps = apps.Value ?? [];
        Notice = removed is { Length: > 0 and <= 100 } ? $"{removed} can no longer use your account." : null;
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(string? clientId, string? name)
    {
        if (await AccessTokenAsync() is not { } accessToken)
        {
            return SessionEnded();
        }
        if (clientId is not { Length: > 0 and <= 100 })
        {
            return Redirect(Path);
        }
        var removed = await api.RemoveConnectedAppAsync(accessToken, clientId, HttpContext.RequestAborted);
        if (removed.Problem is { } problem && problem.Status != System.Net.HttpStatusCode.NotFound)
        {
            return Leave(problem, Path) ?? Shown(problem);
        }
        return Redirect(Path + "?removed=" + Uri.EscapeDataString(name is { Length: > 0 and <= 100 } ? name : clientId));
    }
}
