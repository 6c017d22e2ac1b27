namespace AuthPlatform.Portal.Pages;

/// <summary>The longest values the portal's forms pass on; longer ones get a message on the page, not a call.</summary>
public static class FieldLimits
{
    /// <summary>RFC 5321's longest path; the API decides what is valid.</summary>
    public const int Email = 320;

    /// <summary>Well above the policy's maximum (counted after normalisation by the API), far below the form limit.</summary>
    public const int Password = 1024;

    /// <summary>A six-digit code as people type it (spaces allowed); the API says whether it is right.</summary>
    public const int OneTimeCode = 12;

    /// <summary>A recovery code with dashes or spaces.</summary>
    public const int RecoveryCode = 40;

    /// <summary>A passkey's name: mfa's limit.</summary>
    public const int PasskeyName = AuthPlatform.Contracts.Internal.PasskeyCalls.MaxNameLength;
}
