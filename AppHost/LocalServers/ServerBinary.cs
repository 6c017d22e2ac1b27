namespace AuthPlatform.AppHost.LocalServers;

public static class ServerBinary
{
    /// <summary>The first existing path, or a failure that says what to install.</summary>
    public static string Require(string what, string install, params string[] candidates)
    {
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException(
            $"{what} is not installed (looked for {string.Join(", ", candidates)}). Install it with: {install} " +
            "(./run.sh and ./test.sh do this for you).");
    }
}
