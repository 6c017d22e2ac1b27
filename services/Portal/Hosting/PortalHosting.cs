using AuthPlatform.Internal;
using AuthPlatform.Portal.ExternalSignIn;
using AuthPlatform.Portal.Infrastructure;
using AuthPlatform.Web.Proxies;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Npgsql;

namespace AuthPlatform.Portal.Hosting;

/// <summary>The portal's services and middleware: Razor Pages, the cookie session, antiforgery, strict headers, error pages.</summary>
public static class PortalHosting
{
    /// <summary>Largest form the portal reads; the gateway's body limit is larger, so this one speaks first, as a page.</summary>
    public const int MaxFormBytes = 16 * 1024;

    /// <summary>
    /// Largest body the portal reads to its end before refusing it. A body refused unread makes Kestrel close the
    /// connection while the gateway is still sending it, and the browser gets the gateway's 502 instead of the page;
    /// above the gateway's own limit, so everything the gateway lets through is read.
    /// </summary>
    private const int MaxDrainedBytes = 1024 * 1024;

    public static IHostApplicationBuilder AddPortal(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PortalOptions>().BindConfiguration(PortalOptions.Section)
            .Validate(options => options.IsValid(), "Portal: SessionLifetime, SignInStepLifetime, SessionCheckInterval and ApiTimeout must be positive.")
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(PortalOptions.Section).Get<PortalOptions>() ?? new PortalOptions();
        var securePolicy = PortalCookies.SecurePolicy(builder.Configuration["PublicBaseUrl"]);
        builder.Services.Configure<PortalCookieSettings>(settings => settings.SecurePolicy = securePolicy);

        // The browser's address comes from the gateway's hop only (loopback or ForwardedHeaders:KnownProxies).
        builder.AddForwardedHeadersTrust();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHttpContextAccessor();
        // The cookies are sealed with a key ring every replica shares and a restart keeps (portaldb), encrypted there
        // under the key-encryption certificate. The framework's default, a per-user directory, stores keys in clear.
        // No readiness check on portaldb: the ring is read at start and about once a day, so an outage of PostgreSQL
        // must not take the portal's pages out of the gateway's rotation (account answers 503 for what needs it).
        builder.Configuration.RequireConnectionString("portaldb");
        builder.AddNpgsqlDataSource("portaldb", settings => settings.DisableHealthChecks = true);
        builder.AddKeyEncryption();
        builder.Services.AddDataProtection()
            .SetApplicationName("AuthPlatform.Portal")
            .ProtectKeysWithKeyEncryptionCertificate(builder.Configuration);
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<NpgsqlDataSource>((keys, dataSource) => keys.XmlRepository = new PortalKeyRing(dataSource));

#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented opt-out
        builder.Services.AddTransient<ClientAddressRelay>();
        foreach (var service in PlatformApi.Services)
        {
            builder.Services.AddHttpClient(service, http =>
                {
                    http.BaseAddress = new Uri($"http://{service}");
                    http.Timeout = options.ApiTimeout;
                })
                .AddHttpMessageHandler<ClientAddressRelay>()
                .RemoveAllResilienceHandlers();
        }
#pragma warning restore EXTEXP0001
        builder.Services.AddScoped<PlatformApi>();
        builder.Services.AddScoped<PortalSession>();
        builder.Services.AddScoped<BrowserSignIn>();
        builder.Services.AddHttpClient(AuthenticationExtensions.SigningKeysClient);
        builder.Services.AddSingleton<IdTokenHints>();
        builder.Services.AddScoped<SessionRefresh>();
        builder.Services.AddSingleton<SealedCookie>();
        builder.Services.AddSingleton<RefreshSingleFlight>();

        // The portal calls account's /internal API for one thing: handing over a person Google signed in.
        builder.AddInternalApi();
        builder.Services.AddInternalClient<ExternalSignInClient>(PlatformApi.Account);
        var authentication = builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme);
        builder.AddGoogleSignIn(authentication, securePolicy);
        authentication
            .AddCookie(cookie =>
            {
                cookie.Cookie.Name = PortalCookies.Session;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = securePolicy;
                cookie.Cookie.IsEssential = true;
                cookie.LoginPath = "/sign-in";
                cookie.LogoutPath = "/sign-out";
                cookie.AccessDeniedPath = "/sign-in";
                cookie.ReturnUrlParameter = "returnUrl";
                cookie.SlidingExpiration = false;
                cookie.ExpireTimeSpan = options.SessionLifetime;
                cookie.EventsType = typeof(SessionRefresh);
            });
        builder.Services.AddAuthorization();
        builder.Services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = PortalCookies.Antiforgery;
            antiforgery.Cookie.SecurePolicy = securePolicy;
            antiforgery.Cookie.SameSite = SameSiteMode.Lax;
            antiforgery.FormFieldName = "__csrf";
        });
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(form =>
        {
            form.MultipartBodyLengthLimit = MaxFormBytes;
            form.ValueLengthLimit = MaxFormBytes;
            form.ValueCountLimit = 32;
        });
        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = MaxDrainedBytes);
        builder.Services.AddRazorPages(pages =>
        {
            pages.Conventions.AuthorizeFolder("/Account");
        });
        return builder;
    }

    public static WebApplication UsePortal(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseSecurityHeaders();
        // Every failure a browser can meet is a page with a sentence: exceptions, 400 (a refused form), 404, 413, 405.
        app.UseExceptionHandler("/error");
        app.UseStatusCodePagesWithReExecute("/error", "?status={0}");
        app.Use(async (context, next) =>
        {
            // A form declared larger than the portal reads: the "too much" page, once the body has been read.
            if (context.Request.ContentLength > MaxFormBytes && context.Features.Get<IStatusCodeReExecuteFeature>() is null)
            {
                await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return;
            }
            await next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
