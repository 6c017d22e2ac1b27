using AuthPlatform.Account.Apis;
using Microsoft.AspNetCore.Diagnostics;

namespace AuthPlatform.Account.Passwords;

/// <summary>Any endpoint that hashes (sign-up, password reset) answers 503 <c>busy</c> when the hashing queue is full.</summary>
public sealed class PasswordHashingBusyHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not PasswordHashingBusyException busy)
        {
            return false;
        }
        await Problems.Busy(context, busy.RetryAfter).ExecuteAsync(context);
        return true;
    }
}
