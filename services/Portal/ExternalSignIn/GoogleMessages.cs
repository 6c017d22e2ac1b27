namespace AuthPlatform.Portal.ExternalSignIn;

/// <summary>The sentences a Google sign-in that did not finish leaves on the sign-in page (<c>/sign-in?google=…</c>).</summary>
public static class GoogleMessages
{
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Expired = "expired";
    public const string Unverified = "unverified";
    public const string Unavailable = "unavailable";

    public static string? For(string? reason) => reason switch
    {
        Failed => "Google sign-in could not be completed: the answer from Google did not match the sign-in this browser started. Please try again.",
        Cancelled => "Google sign-in was cancelled. Sign in with your password, or try Google again.",
        Expired => "That Google sign-in took too long. Please try again.",
        Unverified => "Google has not verified the email address of that Google account, so it cannot sign you in here. Verify the address with Google, or sign in with your password.",
        Unavailable => "We could not finish signing you in with Google right now. Please try again in a minute.",
        _ => null,
    };
}
