using System.Net;

namespace AuthPlatform.Portal.Clients;

/// <summary>
/// A refusal from the platform's API: its status, the suffix of its problem <c>type</c> (e.g. <c>invalid-credentials</c>)
/// and how long to wait when it says so. Pages turn it into a sentence (<see cref="ProblemMessages"/>); it never reaches the browser as is.
/// </summary>
public sealed record ApiProblem(HttpStatusCode Status, string Kind, string? Detail, TimeSpan? RetryAfter)
{
    /// <summary>The API could not be reached or answered with something that is not a problem document.</summary>
    public static ApiProblem Unreachable { get; } = new(HttpStatusCode.ServiceUnavailable, "unavailable", null, null);

    public bool Is(string kind) => string.Equals(Kind, kind, StringComparison.Ordinal);
}

/// <summary>What a call to the API came to: a value, or a problem.</summary>
public sealed record ApiResult<T>(T? Value, ApiProblem? Problem)
{
    public bool Succeeded => Problem is null;

    public static implicit operator ApiResult<T>(ApiProblem problem) => new(default, problem);
}

/// <summary>A call without a body in its answer.</summary>
public sealed record ApiResult(ApiProblem? Problem)
{
    public static ApiResult Ok { get; } = new((ApiProblem?)null);

    public bool Succeeded => Problem is null;

    public static implicit operator ApiResult(ApiProblem problem) => new(problem);
}
