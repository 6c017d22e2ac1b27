namespace AuthPlatform.Gateway.RateLimiting;

/// <summary>
/// Requests per minute per client network at the edge, one limit per kind of request (the route table names which
/// limit each route counts against). They back up the services' per-account throttles and never replace them; the
/// defaults (appsettings.json, <c>Gateway:RateLimits</c>) let a small office behind one NAT work.
/// </summary>
public sealed class EdgeRateLimitOptions
{
    public const string Section = "Gateway:RateLimits";

    /// <summary>POST /api/sessions and /api/sessions/reauthenticate: password proofs.</summary>
    public int SignInPerMinute { get; set; } = 100;

    /// <summary>POST /api/sessions/refresh.</summary>
    public int RefreshPerMinute { get; set; } = 100;

    /// <summary>POST /api/sessions/mfa: the second step of a sign-in.</summary>
    public int MfaStepPerMinute { get; set; } = 100;

    /// <summary>POST /api/sessions/mfa/sms: the sign-in code texted again.</summary>
    public int SmsResendPerMinute { get; set; } = 100;

    /// <summary>POST /connect/token: access keys exchanged for tokens.</summary>
    public int AccessKeyTokenPerMinute { get; set; } = 100;

    /// <summary>Every change under /api/mfa (the MFA settings; reading the status is not limited).</summary>
    public int MfaPerMinute { get; set; } = 100;

    /// <summary>POST /api/accounts.</summary>
    public int SignUpPerMinute { get; set; } = 20;

    /// <summary>POST /api/verification/email/resend: the verification email again.</summary>
    public int ResendPerMinute { get; set; } = 20;

    /// <summary>POST /api/accounts/password-reset and its confirm.</summary>
    public int PasswordResetPerMinute { get; set; } = 20;

    public bool IsValid() =>
        new[] { SignInPerMinute, RefreshPerMinute, MfaStepPerMinute, SmsResendPerMinute, AccessKeyTokenPerMinute, MfaPerMinute,
            SignUpPerMinute, ResendPerMinute, PasswordResetPerMinute }.All(limit => limit > 0);
}
