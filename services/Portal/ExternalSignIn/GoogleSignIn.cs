using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace AuthPlatform.Portal.ExternalSignIn;

/// <summary>
/// "Sign in with Google": the stock OpenID Connect handler (authorization code with PKCE, state and nonce checked by
/// the handler, the ID token's signature, issuer and audience checked against the discovery document) signs the
/// person into a short-lived external cookie only; <c>/sign-in/google/done</c> then hands the verified identity to
/// account, which decides (docs/oidc.md#google-sign-in).
/// </summary>
public static class GoogleSignIn
{
    /// <summary>The handler's scheme; its challenge leaves for Google.</summary>
    public const string Scheme = "google";

    /// <summary>Holds Google's answer between the callback and /sign-in/google/done, nothing longer.</summary>
    public const string ExternalScheme = "google-external";

    public const string StartPath = "/sign-in/google";
    public const string DonePath = "/sign-in/google/done";

    public static IHostApplicationBuilder AddGoogleSignIn(this IHostApplicationBuilder builder, AuthenticationBuilder authentication,
        CookieSecurePolicy securePolicy)
    {
        builder.Services.AddOptions<GoogleOptions>().BindConfiguration(GoogleOptions.Section)
            .Validate(o => o.IsValid(), "Google: with a ClientId, Authority must be an https URL (http only on loopback), and ClientSecret, CallbackPath and HandoffLifetime must be set.")
            .ValidateOnStart();
        var google = builder.Configuration.GetSection(GoogleOptions.Section).Get<GoogleOptions>() ?? new GoogleOptions();
        // The browser comes back through the gateway: the callback is on the public URL, not the portal's own address.
        var callback = builder.Configuration["PublicBaseUrl"] is { Length: > 0 } publicBaseUrl ? publicBaseUrl.TrimEnd('/') + google.CallbackPath : null;
        if (!google.Enabled)
        {
            return builder;
        }
        authentication
            .AddCookie(ExternalScheme, cookie =>
            {
                cookie.Cookie.Name = PortalCookies.External;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = securePolicy;
                cookie.Cookie.IsEssential = true;
                cookie.ExpireTimeSpan = google.HandoffLifetime;
                cookie.SlidingExpiration = false;
            })
            .AddOpenIdConnect(Scheme, "Google", oidc =>
            {
                oidc.SignInScheme = ExternalScheme;
                oidc.Authority = google.Authority;
                oidc.RequireHttpsMetadata = new Uri(google.Authority).Scheme == Uri.UriSchemeHttps;
                oidc.ClientId = google.ClientId;
                oidc.ClientSecret = google.ClientSecret;
                oidc.CallbackPath = google.CallbackPath;
                oidc.ResponseType = OpenIdConnectResponseType.Code;
                // A redirect back (GET) carries SameSite=Lax cookies; a cross-site form post would not.
                oidc.ResponseMode = OpenIdConnectResponseMode.Query;
                oidc.UsePkce = true;
                oidc.PushedAuthorizationBehavior = PushedAuthorizationBehavior.Disable;
                oidc.Scope.Clear();
                oidc.Scope.Add("openid");
                oidc.Scope.Add("email");
                oidc.Scope.Add("profile");
                oidc.MapInboundClaims = false;
                oidc.GetClaimsFromUserInfoEndpoint = false;
                oidc.SaveTokens = false;
                oidc.DisableTelemetry = true;
                oidc.RemoteAuthenticationTimeout = google.HandoffLifetime;
                // Lax and Secure like every other portal cookie (the defaults, SameSite=None, need https everywhere).
                oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
                oidc.CorrelationCookie.SecurePolicy = securePolicy;
                oidc.NonceCookie.SameSite = SameSiteMode.Lax;
                oidc.NonceCookie.SecurePolicy = securePolicy;
                // Google's ID tokens name their issuer with or without the scheme.
                var authority = google.Authority.TrimEnd('/');
                oidc.TokenValidationParameters.ValidIssuers = [authority, new Uri(authority).Authority];
                oidc.TokenValidationParameters.NameClaimType = "email";
                oidc.Events = new OpenIdConnectEvents
                {
                    OnRedirectToIdentityProvider = context =>
                    {
                        context.ProtocolMessage.RedirectUri = callback ?? context.ProtocolMessage.RedirectUri;
                        return Task.CompletedTask;
                    },
                    // A state or nonce that does not match this browser's request, an expired handoff, a refusal at
                    // Google: a sentence on the sign-in page, never an exception page.
                    OnRemoteFailure = context =>
                    {
                        context.Response.Redirect($"/sign-in?google={ReasonOf(context.Failure)}");
                        context.HandleResponse();
                        return Task.CompletedTask;
                    },
                    OnAccessDenied = context =>
                    {
                        context.Response.Redirect($"/sign-in?google={GoogleMessages.Cancelled}");
                        context.HandleResponse();
                        return Task.CompletedTask;
                    },
                };
            });
        return builder;
    }

    /// <summary>
    /// Google unreachable (discovery, keys, token endpoint) is "try again later"; anything else (a state, nonce or
    /// correlation cookie that does not match, a refused code) is an answer that does not belong to this browser.
    /// </summary>
    private static string ReasonOf(Exception? failure)
    {
        for (var cause = failure; cause is not null; cause = cause.InnerException)
        {
            if (cause is HttpRequestException or TaskCanceledException || cause.Message.Contains("IDX20803", StringComparison.Ordinal))
            {
                return GoogleMessages.Unavailable;
            }
        }
        return GoogleMessages.Failed;
    }

    /// <summary>What Google said about the person, from the validated ID token.</summary>
    public static (string Subject, string Email, bool EmailVerified)? PersonOf(ClaimsPrincipal? principal)
    {
        var subject = principal?.FindFirst("sub")?.Value;
        var email = principal?.FindFirst("email")?.Value;
        if (string.IsNullOrEmpty(subject) || string.IsNullOrEmpty(email))
        {
            return null;
        }
        var verified = string.Equals(principal!.FindFirst("email_verified")?.Value, "true", StringComparison.OrdinalIgnoreCase);
        return (subject, email, verified);
    }
}
