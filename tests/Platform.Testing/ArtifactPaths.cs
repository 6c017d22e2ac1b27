namespace AuthPlatform.Testing;

/// <summary>Where the build put things (Directory.Build.props sets UseArtifactsOutput).</summary>
public static class ArtifactPaths
{
    /// <summary>The dotnet host running us, so children use the very same runtime.</summary>
    public static string DotnetHost =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AuthPlatform.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Cannot find AuthPlatform.sln above " + AppContext.BaseDirectory);
    }

    /// <summary>artifacts/bin/&lt;Project&gt;/&lt;configuration&gt;/&lt;Project&gt;.dll, in the configuration we were built in.</summary>
    public static string Binary(string repositoryRoot, string project)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Name;
        var dll = Path.Combine(repositoryRoot, "artifacts", "bin", project, configuration, project + ".dll");
        return File.Exists(dll)
            ? dll
            : throw new FileNotFoundException($"{dll} is missing: build the solution first (dotnet build AuthPlatform.CI.slnf -c {configuration}).");
    }
}
