using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Turns malformed requests (bad JSON, missing or unknown fields, wrong content type) into a clear 4xx
/// problem+json instead of a bare status or a 500.
/// </summary>
internal sealed class BadRequestProblemHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }
        context.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = bad.StatusCode,
                Type = ProblemTypes.Base + "invalid-request",
                Title = bad.StatusCode == StatusCodes.Status415UnsupportedMediaType ? "Unsupported media type" : "Invalid request",
                // The framework's message names the parameter and the JSON problem (never the body's content).
                Detail = bad.InnerException is System.Text.Json.JsonException json
                    ? $"The request body is not valid: {json.Message.Split(" Path:")[0]}"
                    : bad.Message,
            },
        });
    }
}

/// <summary>
/// Fail closed: when a server needed for the decision (PostgreSQL, Redis, the broker) is unreachable, answer 503
/// problem+json rather than a 500 — and never act as if the check had passed.
/// </summary>
internal sealed class DependencyUnavailableHandler(IProblemDetailsService problems, Microsoft.Extensions.Logging.ILogger<DependencyUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsDependencyFailure(exception))
        {
            return false;
        }
        Microsoft.Extensions.Logging.LoggerExtensions.LogWarning(logger, exception, "A dependency is unavailable; answering 503");
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "5";
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

    private static bool IsDependencyFailure(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is StackExchange.Redis.RedisException or Npgsql.NpgsqlException or TimeoutException
                or System.Net.Sockets.SocketException or HttpRequestException or MassTransit.RequestTimeoutException)
            {
                return true;
            }
        }
        return false;
    }
}
