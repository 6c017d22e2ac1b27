using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace AuthPlatform.Operations.Tests;

/// <summary>The YAML documents under deploy/kubernetes, as JSON nodes.</summary>
public sealed class KubernetesManifests(IReadOnlyList<JsonObject> documents)
{
    public static string Folder => Path.Combine(ArtifactPaths.RepositoryRoot(), "deploy", "kubernetes");

    public static KubernetesManifests Load()
    {
        var deserializer = new DeserializerBuilder().Build();
        var documents = new List<JsonObject>();
        foreach (var file in Directory.GetFiles(Folder, "*.yaml").Order())
        {
            var parser = new Parser(new StringReader(File.ReadAllText(file)));
            parser.Consume<StreamStart>();
            while (parser.Accept<DocumentStart>(out _))
            {
                if (ToJson(deserializer.Deserialize<object>(parser)) is JsonObject document)
                {
                    documents.Add(document);
                }
            }
        }
        return new KubernetesManifests(documents);
    }

    public JsonObject? Find(string kind, string name) =>
        documents.SingleOrDefault(d => d["kind"]?.GetValue<string>() == kind && d["metadata"]?["name"]?.GetValue<string>() == name);

    public IEnumerable<JsonObject> OfKind(string kind) => documents.Where(d => d["kind"]?.GetValue<string>() == kind);

    public static string NameOf(JsonObject document) => document["metadata"]!["name"]!.GetValue<string>();

    /// <summary>The first container of a Deployment.</summary>
    public static JsonObject Container(JsonObject deployment) => deployment["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject();

    public static Dictionary<string, JsonObject> Environment(JsonObject deployment) =>
        (Container(deployment)["env"]?.AsArray() ?? []).Select(e => e!.AsObject()).ToDictionary(e => e["name"]!.GetValue<string>());

    /// <summary>Port number of a Service's named port.</summary>
    public int ServicePort(string service, string portName) =>
        int.Parse(Find("Service", service)?["spec"]!["ports"]!.AsArray().SingleOrDefault(p => p!["name"]!.GetValue<string>() == portName)?["port"]!.ToString()
            ?? throw new ShouldAssertException($"Service {service} has no port named {portName}."));

    /// <summary>Port number of a Deployment container's named port.</summary>
    public int ContainerPort(string deployment, string portName) =>
        int.Parse(Container(Find("Deployment", deployment) ?? throw new ShouldAssertException($"No Deployment {deployment}."))["ports"]!.AsArray()
            .SingleOrDefault(p => p!["name"]!.GetValue<string>() == portName)?["containerPort"]!.ToString()
            ?? throw new ShouldAssertException($"Deployment {deployment} has no container port named {portName}."));

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        IDictionary<object, object?> map => new JsonObject(map.Select(e => KeyValuePair.Create(e.Key.ToString()!, ToJson(e.Value)))),
        IList<object?> list => new JsonArray(list.Select(ToJson).ToArray()),
        _ => JsonValue.Create(value.ToString()),
    };
}
