using System.Text.Json.Nodes;

namespace AuthPlatform.Operations.Tests;

/// <summary>One span as the dashboard holds it.</summary>
public sealed record DashboardSpan(string Service, string Scope, string TraceId, string SpanId, string ParentSpanId, string Name);

/// <summary>
/// The Aspire dashboard's telemetry API (<c>/api/telemetry/*</c>): what it received over OTLP from the services, read
/// back as an operator's tools would.
/// </summary>
public sealed class DashboardTelemetry(Uri dashboard) : IDisposable
{
    private readonly HttpClient _api = new() { BaseAddress = dashboard, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The resources that sent telemetry: name, displayName, and whether traces and metrics arrived.</summary>
    public async Task<JsonArray> ResourcesAsync() =>
        JsonNode.Parse(await _api.GetStringAsync("/api/telemetry/resources"))!.AsArray();

    /// <summary>Every span the dashboard holds, flattened from its OTLP JSON.</summary>
    public async Task<IReadOnlyList<DashboardSpan>> SpansAsync()
    {
        var body = JsonNode.Parse(await _api.GetStringAsync("/api/telemetry/spans?limit=10000"))!;
        var spans = new List<DashboardSpan>();
        foreach (var resourceSpans in body["data"]?["resourceSpans"]?.AsArray() ?? [])
        {
            var service = resourceSpans!["resource"]?["attributes"]?.AsArray()
                .FirstOrDefault(a => a!["key"]!.GetValue<string>() == "service.name")?["value"]?["stringValue"]?.GetValue<string>() ?? "";
            foreach (var scopeSpans in resourceSpans["scopeSpans"]?.AsArray() ?? [])
            {
                var scope = scopeSpans!["scope"]?["name"]?.GetValue<string>() ?? "";
                foreach (var span in scopeSpans["spans"]?.AsArray() ?? [])
                {
                    spans.Add(new DashboardSpan(service, scope, span!["traceId"]!.GetValue<string>(), span["spanId"]?.GetValue<string>() ?? "",
                        span["parentSpanId"]?.GetValue<string>() ?? "", span["name"]?.GetValue<string>() ?? ""));
                }
            }
        }
        return spans;
    }

    public void Dispose() => _api.Dispose();
}
