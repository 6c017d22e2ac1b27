namespace AuthPlatform.AppHost;

/// <summary>
/// Everything one run of the platform decided before starting: the settings, the servers, the services' ports and
/// keys, the key-encryption certificate and where logs go. Registered as a service of the AppHost, so tests that
/// start the AppHost read it instead of guessing.
/// </summary>
public sealed record PlatformLayout(
    PlatformSettings Settings,
    string RepositoryRoot,
    string DataDirectory,
    string LogDirectory,
    PlatformServers Servers,
    ServiceTopology Topology,
    LocalKeyEncryption KeyEncryption,
    string ServiceEnvironmentName)
{
    /// <summary>The folder with AuthPlatform.sln above <paramref name="start"/>.</summary>
    public static string FindRepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AuthPlatform.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Cannot find AuthPlatform.sln above " + start);
    }
}
