using System.Net;
using AuthPlatform.Samples.RelyingParty;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

// A small app that offers "Sign in with AuthPlatform" with the stock OpenID Connect handler (code flow + PKCE).
var builder = WebApplication.CreateBuilder(args);
var settings = builder.Configuration.GetSection(RelyingPartyOptions.Section).Get<RelyingPartyOptions>() ?? new RelyingPartyOptions();
if (!settings.IsValid())
{
    throw new InvalidOperationException("AuthPlatform:Authority (an absolute URL) and AuthPlatform:ClientId are required.");
}

builder.Services.AddAuthentication(options =>
    {
        options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
    })
    .AddCookie(cookie => cookie.Cookie.Name = "relying-party")
    .AddOpenIdConnect(oidc =>
    {
        oidc.Authority = settings.Authority;
        // Plain HTTP only for a platform on this machine (development, tests).
        oidc.RequireHttpsMetadata = !new Uri(settings.Authority).IsLoopback;
        oidc.ClientId = settings.ClientId;
        oidc.ClientSecret = settings.ClientSecret.Length > 0 ? settings.ClientSecret : null;
        oidc.ResponseType = "code";
        oidc.UsePkce = true;
        oidc.Scope.Clear();
        foreach (var scope in new[] { "openid", "profile", "email" })
        {
            oidc.Scope.Add(scope);
        }
        oidc.MapInboundClaims = false;
        // The handler drops acr by default; the sample shows how the person signed in (acr_values=mfa step-up).
        oidc.ClaimActions.Remove("acr");
        oidc.SaveTokens = true;
        oidc.GetClaimsFromUserInfoEndpoint = true;
        oidc.TokenValidationParameters.NameClaimType = "email";
    });
builder.Services.AddAuthorization();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();

app.MapGet("/health", () => "ok");
app.MapGet("/", (HttpContext context) =>
{
    var user = context.User;
    var body = user.Identity?.IsAuthenticated == true
        ? $"""
           <h1>Signed in as {Encode(user.Identity.Name)}</h1>
           <table><caption>Claims received from AuthPlatform</caption><thead><tr><th scope="col">Claim</th><th scope="col">Value</th></tr></thead><tbody>
           {string.Concat(user.Claims.Select(c => $"<tr><td>{Encode(c.Type)}</td><td data-claim=\"{Encode(c.Type)}\">{Encode(c.Value)}</td></tr>"))}
           </tbody></table>
           <form method="post" action="/sign-out"><button type="submit">Sign out</button></form>
           """
        : """
          <h1>Relying party sample</h1>
          <p>You are not signed in.</p>
          <a class="button" href="/sign-in">Sign in with AuthPlatform</a>
          """;
    return Results.Content($"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Relying party sample</title></head>
        <body><main>{body}</main></body></html>
        """, "text/html");
});
app.MapGet("/sign-in", () => Results.Challenge(new AuthenticationProperties { RedirectUri = "/" }, [OpenIdConnectDefaults.AuthenticationScheme]));
// Ends this app's cookie and, through the platform's end-session endpoint, the platform's side too.
app.MapPost("/sign-out", () => Results.SignOut(new AuthenticationProperties { RedirectUri = "/" },
    [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme])).DisableAntiforgery();

app.Run();

static string Encode(string? value) => WebUtility.HtmlEncode(value ?? "");
