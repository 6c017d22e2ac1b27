namespace AuthPlatform.Cli;

/// <summary>A failure the user can act on: printed as one <c>error: …</c> line, never with a stack trace.</summary>
public class CliException(string message, int exitCode = ExitCodes.Failure) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>A command line that does not make sense (exit code 2).</summary>
public sealed class UsageException(string message) : CliException(message, ExitCodes.Usage);

public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}
