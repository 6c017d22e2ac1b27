using System.Collections;

namespace AuthPlatform.AppHost;

/// <summary>The environment a service instance starts with, and the built binaries it starts from.</summary>
public static class PlatformEnvironment
{
    /// <summary>Each service's project, relative to the repository root.</summary>
    public static readonly IReadOnlyDictionary<string, string> Projects = new Dictionary<string, string>
    {
        ["account"] = "services/Account/Account.csproj",
        ["verification"] = "services/Verification/Verification.csproj",
        ["mfa"] = "services/Mfa/Mfa.csproj",
        ["notification"] = "services/Notification/Notification.csproj",
        ["portal"] = "services/Portal/Portal.csproj",
        ["gateway"] = "gateway/Gateway.csproj",
        [RelyingPartySample.Resource] = "samples/RelyingParty/RelyingParty.csproj",
    };

    /// <summary>Countries that may receive SMS codes unless the operator says otherwise (the services allow none when unset).</summary>
    public const string DefaultSmsRegions = "US,CA,GB,IE,DE,FR,NL,AU";

    /// <summary>The dotnet host running the AppHost, so services use the very same runtime.</summary>
    public static string DotnetHost =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    /// <summary>artifacts/bin/&lt;Project&gt;/&lt;configuration&gt;/&lt;Project&gt;.dll, in the configuration the AppHost was built in.</summary>
    public static string Binary(string repositoryRoot, string service)
    {
        var project = Path.GetFileNameWithoutExtension(Projects[service]);
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Name;
        var dll = Path.Combine(repositoryRoot, "artifacts", "bin", project, configuration, project + ".dll");
        return File.Exists(dll)
            ? dll
            : throw new FileNotFoundException($"{dll} is missing: build first (dotnet build AuthPlatform.CI.slnf -c {configuration}).");
    }

    /// <summary>
    /// A service from its built binary (no <c>dotnet run</c>: no build evaluation per start), listening on the
    /// topology's ports without a proxy in between, so the gateway sees a dead replica as dead.
    /// </summary>
    public static IResourceBuilder<ExecutableResource> AddBuiltService(this IDistributedApplicationBuilder builder, ServiceReplica instance, PlatformLayout layout)
    {
        var dll = Binary(layout.RepositoryRoot, instance.Service);
        var service = builder.AddExecutable(instance.ResourceName, DotnetHost, Path.GetDirectoryName(dll)!, dll)
            .WithHttpEndpoint(port: instance.Port, targetPort: instance.Port, isProxied: false)
            .WithHttpHealthCheck("/health")
            .WithOtlpExporter()
            .WithIconName(instance.Service == "gateway" ? "GlobeArrowForward" : "Server");
        if (instance.InternalPort > 0)
        {
            service.WithHttpEndpoint(port: instance.InternalPort, targetPort: instance.InternalPort, name: "internal", isProxied: false);
        }
        if (instance.Service == "gateway")
        {
            service.WithExternalHttpEndpoints();
        }
        return service;
    }

    /// <summary>
    /// Defaults first, then what the operator set (the AppHost's own environment: ConnectionStrings__smtp, Twilio__*,
    /// PublicBaseUrl, Gateway__*, Sms__*, OTEL_*, any other Section__Key), then the settings the AppHost was given
    /// (Platform:ServiceEnvironment), then the topology's wiring, which nobody overrides.
    /// </summary>
    public static Dictionary<string, string> For(ServiceReplica instance, PlatformLayout layout, int? port = null, int? internalPort = null)
    {
        var development = string.Equals(layout.ServiceEnvironmentName, "Development", StringComparison.OrdinalIgnoreCase);
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = layout.ServiceEnvironmentName,
            ["DOTNET_ENVIRONMENT"] = layout.ServiceEnvironmentName,
            ["PublicBaseUrl"] = layout.Topology.PublicBaseUrl,
            ["Diagnostics__ServedByHeader"] = "true",
            // Countries that may receive SMS codes (strict by default: none unless configured).
            ["Sms__AllowedRegions"] = DefaultSmsRegions,
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
            ["KeyEncryption__CertificatePath"] = layout.KeyEncryption.CertificatePath,
            ["KeyEncryption__CertificatePassword"] = layout.KeyEncryption.CertificatePassword,
        };
        if (development)
        {
            // No SMS provider on a developer's machine: texts go to notification's log. Twilio__* settings take precedence.
            environment["Sms__UseDevelopmentSender"] = "true";
        }
        if (layout.Servers is LocalPlatformServers local)
        {
            foreach (var connection in PlatformServers.Connections[instance.Service])
            {
                environment[$"ConnectionStrings__{connection}"] = local.ConnectionStringFor(instance.Service, connection);
            }
        }
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string key && variable.Value is string value && IsOperatorSetting(key))
            {
                environment[key] = value;
            }
        }
        foreach (var (key, value) in layout.Settings.ServiceEnvironment)
        {
            if (value is null)
            {
                environment.Remove(key);
            }
            else
            {
                environment[key] = value;
            }
        }
        foreach (var (key, value) in layout.Topology.EnvironmentFor(instance.Service, instance.Replica, port ?? instance.Port, internalPort ?? instance.InternalPort))
        {
            environment[key] = value;
        }
        return environment;
    }

    /// <summary>Configuration-shaped variables (Section__Key), OTEL_*, PublicBaseUrl and the test-run marker reach every service.</summary>
    private static bool IsOperatorSetting(string key) =>
        (key.Contains("__", StringComparison.Ordinal) && !key.StartsWith("services__", StringComparison.OrdinalIgnoreCase)
            && !key.StartsWith("Platform__", StringComparison.OrdinalIgnoreCase))
        || key.StartsWith("OTEL_", StringComparison.Ordinal)
        || key.StartsWith("AUTHPLATFORM_", StringComparison.Ordinal)
        || key == "PublicBaseUrl"
        || key is "ASPNETCORE_ENVIRONMENT" or "DOTNET_ENVIRONMENT";
}
