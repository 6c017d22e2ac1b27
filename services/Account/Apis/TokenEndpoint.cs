using System.Text;
using AuthPlatform.Account.Tokens;
using AuthPlatform.Web;

namespace AuthPlatform.Account.Apis;

/// <summary>
/// OAuth 2.0 token endpoint for access keys: grant_type=client_credentials with the key id as client_id and the
/// secret as client_secret, by HTTP Basic or form fields (RFC 6749 §2.3.1). The token acts as the key's owner and
/// is marked amr=["key"]. The same path is OpenIddict's token endpoint for the OpenID Connect grants
/// (authorization_code, refresh_token): this middleware answers client_credentials before OpenIddict sees it.
/// </summary>
public static class TokenEndpoint
{
    public const string Path = "/connect/token";

    public static IApplicationBuilder UseAccessKeyTokenEndpoint(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals(Path, StringComparison.OrdinalIgnoreCase)
                && context.Request.HasFormContentType && await GrantTypeAsync(context) == "client_credentials")
            {
                var result = await IssueAsync(context, context.RequestServices.GetRequiredService<AccessKeyTokenFlow>(), context.RequestAborted);
                await result.ExecuteAsync(context);
                return;
            }
            await next(context);
        });

    /// <summary>The form stays buffered for OpenIddict; a form too large or malformed is left to it (it answers invalid_request).</summary>
    private static async Task<string?> GrantTypeAsync(HttpContext context)
    {
        try
        {
            return (await context.Request.ReadFormAsync(context.RequestAborted))["grant_type"].ToString();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    public static async Task<IResult> IssueAsync(HttpContext context, AccessKeyTokenFlow flow, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (!context.Request.HasFormContentType)
        {
            return Error(400, "invalid_request", "Send the request as application/x-www-form-urlencoded.");
        }
        var form = await context.Request.ReadFormAsync(cancellationToken);
        var grantType = form["grant_type"].ToString();
        if (grantType.Length == 0)
        {
            return Error(400, "invalid_request", "grant_type is required.");
        }
        if (grantType != "client_credentials")
        {
            return Error(400, "unsupported_grant_type", "Only client_credentials is supported.");
        }

        string clientId, clientSecret;
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.Length > 0)
        {
            if (form.ContainsKey("client_secret"))
            {
                return Error(400, "invalid_request", "Use either HTTP Basic or form fields for client authentication, not both.");
            }
            if (!TryReadBasic(authorization, out clientId, out clientSecret))
            {
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"AuthPlatform\"";
                return Error(401, "invalid_client", "Malformed HTTP Basic credentials.");
            }
        }
        else
        {
            clientId = form["client_id"].ToString();
            clientSecret = form["client_secret"].ToString();
        }
        if (clientId.Length is 0 or > 64 || clientSecret.Length is 0 or > 128)
        {
            return InvalidClient(context);
        }

        var outcome = await flow.IssueAsync(clientId, clientSecret, ClientNetwork.Of(context), cancellationToken);
        switch (outcome.Result)
        {
            case AccessKeyTokenResult.Throttled:
                RetryAfterHeader.Set(context.Response, outcome.RetryAfter);
                return Error(429, "invalid_client", "Too many failed attempts; try again later.");
            case AccessKeyTokenResult.InvalidClient:
                return InvalidClient(context);
        }
        return Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = outcome.AccessToken!,
            ["token_type"] = "Bearer",
            ["expires_in"] = (int)AccessTokenIssuer.Lifetime.TotalSeconds,
        });
    }

    /// <summary>RFC 6749 §2.3.1: "Basic base64(urlencode(id):urlencode(secret))".</summary>
    private static bool TryReadBasic(string header, out string clientId, out string clientSecret)
    {
        clientId = clientSecret = "";
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) || header.Length > 512)
        {
            return false;
        }
        Span<byte> decoded = stackalloc byte[384];
        if (!Convert.TryFromBase64String(header[6..].Trim(), decoded, out var length))
        {
            return false;
        }
        var pair = Encoding.UTF8.GetString(decoded[..length]);
        var colon = pair.IndexOf(':');
        if (colon <= 0)
        {
            return false;
        }
        try
        {
            clientId = Uri.UnescapeDataString(pair[..colon].Replace('+', ' '));
            clientSecret = Uri.UnescapeDataString(pair[(colon + 1)..].Replace('+', ' '));
            return true;
        }
        catch (UriFormatException)
        {
            return false;
        }
    }

    private static IResult InvalidClient(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"AuthPlatform\"";
        return Error(401, "invalid_client", null);
    }

    private static IResult Error(int status, string error, string? description) => Results.Json(
        description is null ? new Dictionary<string, string> { ["error"] = error } : new Dictionary<string, string> { ["error"] = error, ["error_description"] = description },
        statusCode: status);
}
