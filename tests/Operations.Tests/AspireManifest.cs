using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AuthPlatform.Operations.Tests;

/// <summary>The Aspire manifest, as the built AppHost's <c>--publisher manifest</c> writes it.</summary>
public sealed partial class AspireManifest(JsonObject resources)
{
    public JsonObject Resources => resources;

    public IEnumerable<(string Name, JsonObject Resource)> Projects =>
        resources.Where(r => r.Value!["type"]!.GetValue<string>().StartsWith("project.", StringComparison.Ordinal))
            .Select(r => (r.Key, r.Value!.AsObject()));

    /// <summary>Runs the publisher into a temporary folder and reads the result.</summary>
    public static async Task<AspireManifest> PublishAsync()
    {
        var output = Directory.CreateTempSubdirectory("authplatform-manifest-");
        try
        {
            var appHost = ArtifactPaths.Binary(ArtifactPaths.RepositoryRoot(), "AppHost");
            var start = new ProcessStartInfo(ArtifactPaths.DotnetHost)
            {
                RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = output.FullName,
            };
            foreach (var argument in new[] { appHost, "--publisher", "manifest", "--output-path", output.FullName })
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            process.ExitCode.ShouldBe(0, await stdout + await stderr);
            var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output.FullName, "aspire-manifest.json")))!;
            return new AspireManifest(manifest["resources"]!.AsObject());
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    /// <summary>The parameters an expression such as <c>{accountdb.connectionString}</c> takes its value from, following references.</summary>
    public IEnumerable<(string Name, bool Secret)> ParametersIn(string expression, int depth = 0)
    {
        foreach (Match reference in Reference().Matches(expression))
        {
            var (name, property) = (reference.Groups["resource"].Value, reference.Groups["property"].Value);
            if (depth > 10 || resources[name] is not JsonObject resource)
            {
                continue;
            }
            if (resource["type"]!.GetValue<string>() == "parameter.v0")
            {
                yield return (name, resource["inputs"]?["value"]?["secret"]?.GetValue<bool>() == true);
                continue;
            }
            var next = property switch
            {
                "connectionString" => resource["connectionString"]?.GetValue<string>(),
                "value" => resource["value"]?.GetValue<string>(),
                _ => null,
            };
            foreach (var parameter in next is null ? [] : ParametersIn(next, depth + 1))
            {
                yield return parameter;
            }
        }
    }

    /// <summary><c>{resource.property}</c> or <c>{resource.bindings.endpoint.part}</c>.</summary>
    [GeneratedRegex(@"\{(?<resource>[a-zA-Z0-9-]+)\.(?<property>[a-zA-Z]+)(\.(?<binding>[a-zA-Z0-9-]+)\.(?<part>[a-zA-Z]+))?\}")]
    public static partial Regex Reference();
}
