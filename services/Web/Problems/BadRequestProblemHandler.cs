using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Web.Problems;

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
