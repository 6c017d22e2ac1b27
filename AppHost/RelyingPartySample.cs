namespace AuthPlatform.AppHost;

/// <summary>
/// samples/RelyingParty in the running platform, so operators see "Sign in with AuthPlatform" working: a public client
/// (PKCE, no secret) that account registers from the Oidc__Clients__* settings this adds to it (docs/oidc.md).
/// </summary>
public static class RelyingPartySample
{
    public const string Resource = "relying-party";
    public const string ClientId = "relying-party-sample";

    /// <summary>Its own slot in account's client list, clear of the ones an operator or a test configures from 0.</summary>
    private const int ClientSlot = 90;

    public static string BaseAddress(int port) => $"http://localhost:{port}";

    public static IResourceBuilder<ExecutableResource> AddRelyingPartySample(this IDistributedApplicationBuilder builder, PlatformLayout layout,
        int port, IResourceBuilder<ExecutableResource> account)
    {
        var baseAddress = BaseAddress(port);
        account.WithEnvironment(context =>
        {
            foreach (var (key, value) in Registration(baseAddress))
            {
                context.EnvironmentVariables[key] = value;
            }
        });
        var dll = PlatformEnvironment.Binary(layout.RepositoryRoot, Resource);
        return builder.AddExecutable(Resource, PlatformEnvironment.DotnetHost, Path.GetDirectoryName(dll)!, dll)
            .WithHttpEndpoint(port: port, targetPort: port, isProxied: false)
            .WithExternalHttpEndpoints()
            .WithHttpHealthCheck("/health")
            .WithIconName("AppGeneric")
            .WithEnvironment("ASPNETCORE_URLS", baseAddress)
            .WithEnvironment("AuthPlatform__Authority", layout.Topology.PublicBaseUrl)
            .WithEnvironment("AuthPlatform__ClientId", ClientId);
    }

    /// <summary>How account learns about the sample: exact redirect URIs on loopback http, the scopes it asks for.</summary>
    public static Dictionary<string, string> Registration(string baseAddress)
    {
        var prefix = $"Oidc__Clients__{ClientSlot}__";
        return new()
        {
            [prefix + "ClientId"] = ClientId,
            [prefix + "DisplayName"] = "Relying party sample",
            [prefix + "RedirectUris__0"] = baseAddress + "/signin-oidc",
            [prefix + "PostLogoutRedirectUris__0"] = baseAddress + "/signout-callback-oidc",
            [prefix + "Scopes__0"] = "openid",
            [prefix + "Scopes__1"] = "profile",
            [prefix + "Scopes__2"] = "email",
        };
    }
}
