namespace AuthPlatform.AppHost.LocalServers;

/// <summary>
/// A /bin/sh wrapper that runs a server in the foreground of an executable resource: when the orchestrator stops the
/// resource (SIGTERM or SIGINT) it passes the signal the server wants for a fast, clean shutdown, waits for it (killing
/// the server's whole process tree if it takes longer than <see cref="StopGraceSeconds"/>: the orchestrator gives up
/// after about 12 s and would leave it running), then stops its helpers, so nothing outlives the resource.
/// </summary>
public static class ForegroundScript
{
    public const int StopGraceSeconds = 8;

    /// <param name="helpers">Commands started first, in the background (e.g. Erlang's port mapper), stopped last.</param>
    /// <param name="server">The server's command line.</param>
    /// <param name="stopSignal">What the server takes as "shut down now" (PostgreSQL: INT, its fast shutdown); KILL ends
    /// the server's whole process tree at once.</param>
    public static string[] Arguments(IEnumerable<string[]> helpers, string[] server, string stopSignal = "TERM")
    {
        var lines = new List<string> { "tree() { for c in $(pgrep -P $1); do tree $c; done; echo $1; }", "killer=" };
        var helperPids = new List<string>();
        foreach (var (helper, index) in helpers.Select((h, i) => (h, i)))
        {
            lines.Add($"{Quote(helper)} & helper{index}=$!");
            helperPids.Add($"$helper{index}");
        }
        lines.Add($"{Quote(server)} & server=$!");
        // One killer only, deaf to the signals the orchestrator may send the whole process group again.
        lines.Add(stopSignal == "KILL"
            ? "trap 'kill -KILL $(tree $server) 2>/dev/null' TERM INT"
            : $"trap 'kill -{stopSignal} $server 2>/dev/null; [ -n \"$killer\" ] || {{ (trap \"\" TERM INT; sleep {StopGraceSeconds}; kill -KILL $(tree $server) 2>/dev/null) & killer=$!; }}' TERM INT");
        // wait returns early when a trapped signal arrives: keep waiting until the server is really gone.
        lines.Add("code=0; while kill -0 $server 2>/dev/null; do wait $server; code=$?; done");
        lines.Add("[ -n \"$killer\" ] && kill $(tree $killer) 2>/dev/null");
        if (helperPids.Count > 0)
        {
            lines.Add($"kill {string.Join(' ', helperPids)} 2>/dev/null; wait");
        }
        lines.Add("exit $code");
        return ["-c", string.Join('\n', lines)];
    }

    private static string Quote(string[] command) => string.Join(' ', command.Select(a => "'" + a.Replace("'", "'\\''") + "'"));
}
