using System.Text.RegularExpressions;

namespace AuthPlatform.Operations.Tests;

/// <summary>
/// deploy/kubernetes/ cannot drift from the AppHost: the AppHost's own Aspire manifest (its publisher, run here) names
/// every service, endpoint and variable, and each must be in the Kubernetes manifests; what the operator supplies
/// (parameters) only by reference, secrets only from a Secret.
/// </summary>
public sealed partial class KubernetesManifestTests : IAsyncLifetime
{
    private AspireManifest _aspire = null!;
    private KubernetesManifests _kubernetes = null!;

    public async ValueTask InitializeAsync()
    {
        _aspire = await AspireManifest.PublishAsync();
        _kubernetes = KubernetesManifests.Load();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public void Every_AppHost_service_has_a_Deployment_and_a_Service_with_its_ports_and_no_Deployment_is_left_over()
    {
        var projects = _aspire.Projects.Select(p => p.Name).ToList();
        projects.ShouldBe(["account", "verification", "mfa", "notification", "portal", "gateway"], ignoreOrder: true);
        foreach (var (name, resource) in _aspire.Projects)
        {
            _kubernetes.Find("Deployment", name).ShouldNotBeNull($"deploy/kubernetes has no Deployment for AppHost project {name}");
            _kubernetes.Find("Service", name).ShouldNotBeNull($"deploy/kubernetes has no Service for AppHost project {name}");
            foreach (var (binding, properties) in resource["bindings"]?.AsObject() ?? [])
            {
                _kubernetes.ServicePort(name, binding).ShouldBeGreaterThan(0);
                var targetPort = properties!["targetPort"];
                targetPort.ShouldNotBeNull($"the AppHost fixes {name}'s {binding} port when publishing");
                _kubernetes.ContainerPort(name, binding).ShouldBe(targetPort.GetValue<int>(), $"{name}'s {binding} port");
            }
        }
        _kubernetes.OfKind("Deployment").Select(KubernetesManifests.NameOf)
            .ShouldBe(projects, ignoreOrder: true, "a Deployment without an AppHost project has drifted");
    }

    [Fact]
    public void Every_variable_the_AppHost_sets_is_set_the_same_way_and_what_the_operator_supplies_only_by_reference()
    {
        var problems = new List<string>();
        foreach (var (name, resource) in _aspire.Projects)
        {
            var environment = KubernetesManifests.Environment(_kubernetes.Find("Deployment", name)!);
            foreach (var (variable, node) in resource["env"]?.AsObject() ?? [])
            {
                if (IsClientConvenienceVariable(variable))
                {
                    continue;
                }
                var expression = node!.GetValue<string>();
                if (!environment.TryGetValue(variable, out var entry))
                {
                    problems.Add($"{name}: {variable} is missing (AppHost: {expression})");
                    continue;
                }
                var parameters = _aspire.ParametersIn(expression).ToList();
                if (parameters.Any(p => p.Secret) || expression.Contains(".connectionString}", StringComparison.Ordinal))
                {
                    if (entry["valueFrom"]?["secretKeyRef"] is null)
                    {
                        problems.Add($"{name}: {variable} carries a secret ({expression}) and must come from a Secret");
                    }
                    continue;
                }
                if (parameters.Count > 0)
                {
                    if (entry["valueFrom"]?["configMapKeyRef"] is null && entry["valueFrom"]?["secretKeyRef"] is null)
                    {
                        problems.Add($"{name}: {variable} is the operator's ({expression}) and comes from the settings ConfigMap or a Secret");
                    }
                    continue;
                }
                var expected = Resolve(expression);
                var value = entry["value"]?.GetValue<string>();
                if (variable == "HTTP_PORTS")
                {
                    // Kubernetes also lists the internal listener here: nothing else in the pod would open it.
                    var ports = (value ?? "").Split(';');
                    if (!expected.Split(';').All(ports.Contains))
                    {
                        problems.Add($"{name}: HTTP_PORTS is '{value}', the AppHost says '{expected}'");
                    }
                }
                else if (value != expected)
                {
                    problems.Add($"{name}: {variable} is '{value}', the AppHost says '{expression}' = '{expected}'");
                }
            }
        }
        problems.ShouldBeEmpty();
    }

    [Fact]
    public void Passwords_keys_and_connection_strings_are_never_written_into_the_manifests()
    {
        foreach (var deployment in _kubernetes.OfKind("Deployment"))
        {
            foreach (var (variable, entry) in KubernetesManifests.Environment(deployment).Where(e => SecretName().IsMatch(e.Key)))
            {
                entry["value"].ShouldBeNull($"{KubernetesManifests.NameOf(deployment)}: {variable} must be a Secret reference");
                entry["valueFrom"]?["secretKeyRef"]?["name"].ShouldNotBeNull($"{KubernetesManifests.NameOf(deployment)}: {variable} must be a Secret reference");
            }
        }
        _kubernetes.OfKind("Secret").ShouldBeEmpty("Secrets are created by the operator, never committed");
    }

    [Fact]
    public void Every_Deployment_is_ready_on_health_alive_on_alive_and_reached_through_its_Service()
    {
        foreach (var deployment in _kubernetes.OfKind("Deployment"))
        {
            var name = KubernetesManifests.NameOf(deployment);
            var container = KubernetesManifests.Container(deployment);
            container["readinessProbe"]?["httpGet"]?["path"]?.GetValue<string>().ShouldBe("/health", $"{name}'s readiness probe");
            container["livenessProbe"]?["httpGet"]?["path"]?.GetValue<string>().ShouldBe("/alive", $"{name}'s liveness probe");
            var podLabels = deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
            var selector = _kubernetes.Find("Service", name)!["spec"]!["selector"]!.AsObject();
            selector.ShouldAllBe(label => podLabels[label.Key]!.GetValue<string>() == label.Value!.GetValue<string>(), $"{name}'s Service selects its pods");
        }
    }

    [Fact]
    public void MFA_scales_on_CPU_with_an_autoscaler_and_keeps_two_replicas()
    {
        var autoscaler = _kubernetes.OfKind("HorizontalPodAutoscaler")
            .SingleOrDefault(h => h["spec"]!["scaleTargetRef"]!["name"]!.GetValue<string>() == "mfa");
        autoscaler.ShouldNotBeNull("MFA has a HorizontalPodAutoscaler");
        autoscaler["spec"]!["scaleTargetRef"]!["kind"]!.GetValue<string>().ShouldBe("Deployment");
        int.Parse(autoscaler["spec"]!["minReplicas"]!.ToString()).ShouldBeGreaterThanOrEqualTo(2, "one replica's death is not an outage");
        autoscaler["spec"]!["metrics"]!.AsArray().ShouldContain(m => m!["resource"]!["name"]!.GetValue<string>() == "cpu");
        KubernetesManifests.Container(_kubernetes.Find("Deployment", "mfa")!)["resources"]?["requests"]?["cpu"]
            .ShouldNotBeNull("CPU utilisation is measured against the request");
    }

    [GeneratedRegex("^ConnectionStrings__|Password|AuthToken|SigningKey", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    /// <summary>
    /// Aspire 13 also injects NAME_HOST, NAME_PORT, NAME_URI, … for clients in other languages; the services read only
    /// ConnectionStrings__* and services__*, so Kubernetes carries those.
    /// </summary>
    private bool IsClientConvenienceVariable(string variable) =>
        !variable.Contains("__", StringComparison.Ordinal) && variable == variable.ToUpperInvariant()
        && _aspire.Resources.Any(r => variable.StartsWith(r.Key.ToUpperInvariant().Replace('-', '_') + "_", StringComparison.Ordinal));

    /// <summary>An AppHost expression as it reads in the cluster: endpoints become Service addresses.</summary>
    private string Resolve(string expression) => AspireManifest.Reference().Replace(expression, reference =>
    {
        var resource = reference.Groups["resource"].Value;
        var binding = reference.Groups["binding"].Value;
        return (reference.Groups["property"].Value, reference.Groups["part"].Value) switch
        {
            ("bindings", "url") => $"http://{resource}:{_kubernetes.ServicePort(resource, binding)}",
            ("bindings", "host") => resource,
            ("bindings", "port") => _kubernetes.ServicePort(resource, binding).ToString(),
            ("bindings", "targetPort") => _kubernetes.ContainerPort(resource, binding).ToString(),
            _ => reference.Value,
        };
    });
}
