using System.Security.Claims;
using AuthPlatform.Account.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Account.Administration;

/// <summary>Whether the caller holds the administrator role: their account's (verified) email is in Administrators:Emails.</summary>
public sealed class Administrators(AccountDbContext db, IOptionsMonitor<AdministratorOptions> options)
{
    public async Task<bool> IsAdministratorAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var emails = options.CurrentValue.Emails;
        if (emails.Count == 0 || user.AccountId() is not { } accountId)
        {
            return false;
        }
        var email = await db.Accounts.AsNoTracking().Where(a => a.Id == accountId).Select(a => a.Email).SingleOrDefaultAsync(cancellationToken);
        return email is not null && emails.Contains(email, StringComparer.OrdinalIgnoreCase);
    }
}
