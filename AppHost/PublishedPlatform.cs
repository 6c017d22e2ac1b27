namespace AuthPlatform.AppHost;

/// <summary>
/// The platform as a deployment sees it (<c>--publisher manifest</c>): every service a project resource listening on
/// container ports, wired by the same tables as a local run (<see cref="ServiceTopology"/>'s references and internal
/// callees, <see cref="PlatformServers.Connections"/>), the servers as Aspire's container resources, and whatever only
/// the operator has (keys, passwords, the public address) as parameters. deploy/kubernetes/ is checked against the
/// manifest this writes (tests/Operations.Tests).
/// </summary>
public static class PublishedPlatform
{
    /// <summary>Every service's public listener in its container (ASP.NET Core's default there).</summary>
    public const int HttpPort = 8080;

    /// <summary>The /internal listener of mfa and verification: a port of its own, which the gateway is never told.</summary>
    public const int InternalPort = 8081;

    /// <summary>Where a deployment mounts the key-encryption certificate (from a Secret); its password is a parameter.</summary>
    public const string KeyEncryptionCertificatePath = "/var/run/secrets/authplatform/key-encryption/key-encryption.pfx";

    /// <summary>The services that take phone numbers (PhoneNumberPolicy: only Sms__AllowedRegions may receive codes).</summary>
    private static readonly string[] ChecksPhoneNumbers = ["verification", "mfa"];

    public static void Declare(IDistributedApplicationBuilder builder)
    {
        var servers = new ContainerPlatformServers(builder);
        var publicBaseUrl = builder.AddParameter("public-base-url");
        var certificatePassword = builder.AddParameter("key-encryption-certificate-password", secret: true);
        var publicKeys = new Dictionary<string, IResourceBuilder<ParameterResource>>();

        var projects = ServiceTopology.Services.ToDictionary(service => service, service =>
        {
            var project = builder.AddProject(service, Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", PlatformEnvironment.Projects[service])))
                .WithHttpEndpoint(targetPort: HttpPort, name: "http")
                // Aspire turns on ASP.NET Core's forwarded-headers middleware for projects, trusting X-Forwarded-For from
                // anyone; the services trust only the gateway's hop (ServiceDefaults), the gateway none.
                .WithEnvironment("ASPNETCORE_FORWARDEDHEADERS_ENABLED", "false")
                .WithEnvironment("PublicBaseUrl", publicBaseUrl);
            if (ChecksPhoneNumbers.Contains(service))
            {
                project.WithEnvironment("Sms__AllowedRegions", PlatformEnvironment.DefaultSmsRegions);
            }
            if (ServiceTopology.IsInternalCallee(service))
            {
                project.WithHttpEndpoint(targetPort: InternalPort, name: "internal", env: "INTERNAL_HTTP_PORT");
            }
            if (service == "gateway")
            {
                project.WithExternalHttpEndpoints();
            }
            return project;
        });

        foreach (var (service, project) in projects)
        {
            foreach (var connection in PlatformServers.Connections[service])
            {
                servers.Connect(project, service, connection);
            }
            // Only the public listeners: the gateway never learns where /internal is served.
            foreach (var reference in ServiceTopology.ReferencesOf(service))
            {
                project.WithReference(projects[reference].GetEndpoint("http"));
            }
            foreach (var callee in ServiceTopology.InternalCalleesOf(service))
            {
                project.WithReference(projects[callee].GetEndpoint("internal"));
            }
            if (ServiceTopology.InternalCalleesOf(service).Count > 0)
            {
                project.WithEnvironment(ServiceTopology.SigningKeySetting, builder.AddParameter($"{service}-signing-key", secret: true));
            }
            foreach (var caller in ServiceTopology.InternalCallersOf(service))
            {
                if (!publicKeys.TryGetValue(caller, out var publicKey))
                {
                    publicKeys[caller] = publicKey = builder.AddParameter($"{caller}-public-key");
                }
                project.WithEnvironment(ServiceTopology.CallerKeySetting(caller), publicKey);
            }
            // The services that keep keys in their database encrypt them under a certificate kept outside it.
            if (PlatformServers.Connections[service].Intersect(PlatformServers.Databases).Any())
            {
                project.WithEnvironment("KeyEncryption__CertificatePath", KeyEncryptionCertificatePath)
                    .WithEnvironment("KeyEncryption__CertificatePassword", certificatePassword);
            }
        }
    }
}
