using AuthPlatform.Web.Problems;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Servers;

/// <summary>
/// Fail closed: when a server needed for the decision (PostgreSQL, Redis, the broker) is unreachable, answer 503
/// problem+json with Retry-After rather than a 500, and never act as if the check had passed. This includes another
/// service's /internal API that fails or does not answer in time (<see cref="HttpRequestException"/>, a cancelled or
/// timed-out call while the client is still waiting), so endpoints need no catch blocks of their own.
/// </summary>
internal sealed partial class DependencyUnavailableHandler(IProblemDetailsService problems, Microsoft.Extensions.Logging.ILogger<DependencyUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!DependencyFailure.Is(exception) && !IsAbandonedCall(exception, context))
        {
            return false;
        }
        LogUnavailable(exception);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        RetryAfterHeader.Set(context.Response, DependencyFailure.RetryAfter);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Type = ProblemTypes.Base + "unavailable",
                Title = "Temporarily unavailable",
                Detail = "A service needed to answer safely is unavailable. Try again shortly.",
            },
        });
    }

    // A call that was cancelled although the client still waits (a timeout below HttpClient, a resilience timeout).
    private static bool IsAbandonedCall(Exception exception, HttpContext context) =>
        exception is OperationCanceledException && !context.RequestAborted.IsCancellationRequested;

    [Microsoft.Extensions.Logging.LoggerMessage(Microsoft.Extensions.Logging.LogLevel.Warning, "A dependency is unavailable; answering 503")]
    private partial void LogUnavailable(Exception exception);
}

/// <summary>An exception that means a server or service the answer depends on is unreachable, not a bug: answer 503.</summary>
public static class DependencyFailure
{
    /// <summary>What a 503 for such a failure tells the client to wait (<c>Retry-After</c>).</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public static bool Is(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is StackExchange.Redis.RedisException or System.Data.Common.DbException or TimeoutException
                or System.Net.Sockets.SocketException or HttpRequestException or MassTransit.RequestTimeoutException)
            {
                return true;
            }
        }
        return false;
    }
}
