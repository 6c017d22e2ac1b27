using AuthPlatform.AppHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The platform as an Aspire application: PostgreSQL, Redis, RabbitMQ and MailDev (containers, or local processes
// where no container engine runs), the four services from their built binaries (MFA as N named replicas) and the
// gateway in front. ./run.sh runs it with the dashboard; the tests start it through Aspire.Hosting.Testing.
var builder = DistributedApplication.CreateBuilder(PlatformSettings.TranslateSwitches(args));
if (builder.ExecutionContext.IsPublishMode)
{
    // --publisher manifest: what a deployment runs (project resources on container ports, servers and secrets as
    // parameters); nothing local is made or started.
    PublishedPlatform.Declare(builder);
    await builder.Build().RunAsync();
    return;
}
var settings = builder.Configuration.GetSection(PlatformSettings.Section).Get<PlatformSettings>() ?? new PlatformSettings();
if (int.TryParse(builder.Configuration["GATEWAY_PORT"], out var gatewayPort))
{
    settings = settings with { GatewayPort = gatewayPort };
}

var repositoryRoot = PlatformLayout.FindRepositoryRoot(AppContext.BaseDirectory);
var dataDirectory = Path.GetFullPath(settings.DataPath ?? Path.Combine(repositoryRoot, ".data"));
if (settings.Reset && Directory.Exists(dataDirectory))
{
    Console.WriteLine($"Wiping {dataDirectory}");
    Directory.Delete(dataDirectory, recursive: true);
}
var servers = settings.Servers == ServerMode.Containers || (settings.Servers == ServerMode.Auto && PlatformServers.ContainerEngineAnswers())
    ? (PlatformServers)new ContainerPlatformServers(builder)
    : new LocalPlatformServers(builder, repositoryRoot, dataDirectory, settings.DurableData, settings.PortSource(1));
var topology = new ServiceTopology(settings.GatewayPort == 0 ? Ports.Free() : settings.GatewayPort, settings.MfaReplicas, settings.PortSource(10));
// Keys kept in the databases are encrypted under this certificate, which stays outside them.
var keyEncryption = LocalKeyEncryption.Ensure(Path.Combine(dataDirectory, "keys"));
var layout = new PlatformLayout(settings, repositoryRoot, dataDirectory, Path.GetFullPath(settings.LogPath ?? Path.Combine(dataDirectory, "logs")),
    servers, topology, keyEncryption, Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? builder.Environment.EnvironmentName);
builder.Services.AddSingleton(layout);
ResourceLogFiles.CopyTo(builder, layout.LogDirectory);

var resources = new Dictionary<string, IResourceBuilder<ExecutableResource>>();
foreach (var instance in topology.Instances)
{
    var service = builder.AddBuiltService(instance, layout);
    foreach (var connection in PlatformServers.Connections[instance.Service])
    {
        servers.Connect(service, instance.Service, connection);
    }
    service.WithEnvironment(context =>
    {
        foreach (var (key, value) in PlatformEnvironment.For(instance, layout))
        {
            context.EnvironmentVariables[key] = value;
        }
        // The services decide themselves which forwarded headers to trust.
        context.EnvironmentVariables.Remove("ASPNETCORE_FORWARDEDHEADERS_ENABLED");
    });
    resources[instance.ResourceName] = service;
}
// samples/RelyingParty: "Sign in with AuthPlatform" as another product offers it, registered with account by configuration.
resources[RelyingPartySample.Resource] = builder.AddRelyingPartySample(layout, topology.NextPort(), resources["account"]);
// The gateway starts beside the services (it probes each replica's /health and routes only to ready ones), so its own
// start-up is off the critical path.
foreach (var (name, resource) in resources.Where(r => r.Key != topology.Gateway.ResourceName))
{
    resources[topology.Gateway.ResourceName].WaitForStart(resource);
}

var app = builder.Build();
// Start in the background: the orchestrator's start returns only once every resource was launched.
var run = app.RunAsync();
try
{
    var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
    var stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
    await Task.WhenAll(topology.Instances.Select(i => notifications.WaitForResourceHealthyAsync(i.ResourceName, stopping)));
    if (settings.PrintSummary)
    {
        Console.WriteLine(RunSummary.Text(layout, app.Services.GetRequiredService<IConfiguration>()));
    }
}
catch (Exception ex) when (ex is OperationCanceledException or DistributedApplicationException)
{
    Console.Error.WriteLine($"The platform did not become ready ({ex.Message}); see the dashboard or {layout.LogDirectory}.");
}
await run;
