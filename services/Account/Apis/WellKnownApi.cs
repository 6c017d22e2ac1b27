using AuthPlatform.Account.Tokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthPlatform.Account.Apis;

public static class WellKnownApi
{
    public static IEndpointRouteBuilder MapWellKnownApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(AuthenticationExtensions.JwksPath, async (SigningKeyRing keys, HttpContext context, CancellationToken cancellationToken) =>
        {
            var published = await keys.PublishedKeysAsync(cancellationToken);
            context.Response.Headers.CacheControl = "public, max-age=300";
            return TypedResults.Json(new
            {
                keys = published.Select(key =>
                {
                    var parameters = key.ECDsa.ExportParameters(includePrivateParameters: false);
                    return new
                    {
                        kty = "EC",
                        use = "sig",
                        alg = SecurityAlgorithms.EcdsaSha256,
                        kid = key.KeyId,
                        crv = "P-256",
                        x = Base64UrlEncoder.Encode(parameters.Q.X),
                        y = Base64UrlEncoder.Encode(parameters.Q.Y),
                    };
                }),
            });
        })
        .WithTags("Discovery")
        .WithSummary("The public keys that verify access tokens (JWKS)");
        return app;
    }
}
