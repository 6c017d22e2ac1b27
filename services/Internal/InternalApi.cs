using System.Security.Claims;
using System.Text.Encodings.Web;
using AuthPlatform.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The internal surface: /internal endpoints are served only on the internal listener (INTERNAL_HTTP_PORT; the gateway
/// never routes to it), and only to callers presenting a service token (<c>Authorization: Internal &lt;jwt&gt;</c>)
/// whose issuer is admitted for that endpoint. No token or a bad one: 401; a valid caller not admitted: 403.
/// </summary>
public static class InternalApi
{
    public const string Scheme = "Internal";

    /// <summary>Service tokens, the Internal authentication scheme and the internal listener's routing rule.</summary>
    public static IHostApplicationBuilder AddInternalApi(this IHostApplicationBuilder builder)
    {
        var environment = builder.Environment;
        builder.Services.AddOptions<InternalAuthOptions>()
            .BindConfiguration(InternalAuthOptions.Section)
            .Configure<Microsoft.Extensions.Configuration.IConfiguration>((options, configuration) =>
                options.ListenerPort ??= int.TryParse(configuration["INTERNAL_HTTP_PORT"], out var port) ? port : null)
            .Validate(o => o.ServiceName.Length > 0, $"{InternalAuthOptions.Section}__ServiceName is required.")
            .Validate(o => o.TokenLifetime > TimeSpan.Zero && o.TokenLifetime <= TimeSpan.FromMinutes(2),
                $"{InternalAuthOptions.Section}__TokenLifetime must be between 0 and 2 minutes.")
            .Validate(o => o.Callers.Count == 0 || o.ListenerPort is > 0,
                "INTERNAL_HTTP_PORT is required: a service that admits internal callers serves them on its own listener.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        // Keys are parsed at start, so a malformed one stops the service instead of failing the first call.
        builder.Services.AddSingleton(sp => new InternalTokens(sp.GetRequiredService<IOptions<InternalAuthOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddHostedService<InternalKeyCheck>();
        builder.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, InternalTokenAuthentication>(Scheme, null);
        builder.Services.AddAuthorization();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, InternalListenerPolicy>());
        return builder;
    }

    /// <summary>A group of /internal endpoints that only the named services may call.</summary>
    public static RouteGroupBuilder MapInternalGroup(this IEndpointRouteBuilder app, string prefix, params string[] admittedCallers)
    {
        if (!prefix.StartsWith("/internal", StringComparison.Ordinal) || admittedCallers.Length == 0)
        {
            throw new ArgumentException("Internal groups live under /internal and admit at least one caller.", nameof(prefix));
        }
        var group = app.MapGroup(prefix).ExcludeFromDescription();
        group.WithMetadata(InternalListenerOnly.Instance);
        group.RequireAuthorization(new AuthorizationPolicyBuilder(Scheme)
            .RequireAuthenticatedUser()
            .RequireClaim(InternalTokens.IssuerClaim, admittedCallers)
            .Build());
        return group;
    }

    /// <summary>The calling service and what its token says about the call.</summary>
    public static InternalCaller InternalCaller(this HttpContext context)
    {
        var user = context.User;
        if (user.Identity?.AuthenticationType != Scheme)
        {
            throw new InvalidOperationException("Not an internal call: map the endpoint with MapInternalGroup.");
        }
        return new InternalCaller(
            user.FindFirstValue(InternalTokens.IssuerClaim)!,
            user.FindFirstValue(InternalTokens.SubjectClaim),
            user.FindFirstValue(InternalTokens.ClientAddressClaim));
    }

    private sealed class InternalListenerOnly
    {
        public static readonly InternalListenerOnly Instance = new();
    }

    /// <summary>An /internal endpoint matches only on the internal listener's port; elsewhere the path does not exist (404).</summary>
    private sealed class InternalListenerPolicy(IOptions<InternalAuthOptions> options) : MatcherPolicy, IEndpointSelectorPolicy
    {
        public override int Order => 0;

        public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
            endpoints.Any(e => e.Metadata.GetMetadata<InternalListenerOnly>() is not null);

        public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
        {
            var onInternalListener = options.Value.ListenerPort is { } port && httpContext.Connection.LocalPort == port;
            for (var i = 0; i < candidates.Count; i++)
            {
                if (!onInternalListener && candidates[i].Endpoint.Metadata.GetMetadata<InternalListenerOnly>() is not null)
                {
                    candidates.SetValidity(i, false);
                }
            }
            return Task.CompletedTask;
        }
    }

    private sealed class InternalKeyCheck(InternalTokens tokens) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.FromResult(tokens.ServiceName);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <param name="Service">The calling service (the token's issuer).</param>
/// <param name="Subject">The account the call is about, when there is one.</param>
/// <param name="ClientAddress">The end user's address as the first service saw it, when the call is on a user's behalf.</param>
public sealed record InternalCaller(string Service, string? Subject, string? ClientAddress)
{
    /// <summary>The account id from <c>sub</c>, or null when the token names none (or not a GUID).</summary>
    public Guid? AccountId => Guid.TryParse(Subject, out var id) ? id : null;
}

/// <summary>Authenticates <c>Authorization: Internal &lt;jwt&gt;</c>; anything else is no identity (401 on internal endpoints).</summary>
internal sealed class InternalTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, InternalTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string Prefix = InternalApi.Scheme + " ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var identity = await tokens.ValidateAsync(header[Prefix.Length..].Trim());
        return identity is null
            ? AuthenticateResult.Fail("Invalid service token.")
            : AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), InternalApi.Scheme));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = InternalApi.Scheme;
        return Task.CompletedTask;
    }
}
