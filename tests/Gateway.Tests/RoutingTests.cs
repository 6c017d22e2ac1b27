using System.Net;

namespace AuthPlatform.Gateway.Tests;

public sealed class RoutingTests(GatewayPlatform platform)
{
    [Theory]
    [InlineData("/api/accounts/probe", "account")]
    [InlineData("/api/sessions/probe", "account")]
    [InlineData("/api/access-keys/probe", "account")]
    [InlineData("/connect/probe", "account")]
    [InlineData("/.well-known/probe", "account")]
    [InlineData("/api/verification/probe", "verification")]
    [InlineData("/api/mfa/probe", "mfa")]
    public async Task Each_public_prefix_reaches_its_service(string path, string service)
    {
        using var response = await platform.Gateway.GetAsync(path, TestContext.Current.CancellationToken);

        ServedBy(response).ShouldStartWith(service + "/");
        // The service answered (no such endpoint or method there), not the gateway with a 502.
        response.StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }

    [Theory]
    [InlineData("/api/nothing-here")]
    [InlineData("/api/accountsx")]
    [InlineData("/api/mfax/probe")]
    public async Task Paths_outside_the_routes_are_404_from_the_gateway(string path)
    {
        using var response = await platform.Gateway.GetAsync(path, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Headers.Contains("X-Served-By").ShouldBeFalse();
    }

    [Fact]
    public async Task Gateway_and_every_service_report_healthy()
    {
        var ct = TestContext.Current.CancellationToken;
        using var gatewayHealth = await platform.Gateway.GetAsync("/health", ct);
        gatewayHealth.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await gatewayHealth.Content.ReadAsStringAsync(ct)).ShouldBe("Healthy");

        using var http = new HttpClient();
        foreach (var instance in platform.Fleet.Instances)
        {
            using var health = await http.GetAsync(new Uri(instance.BaseAddress, "/health"), ct);
            health.StatusCode.ShouldBe(HttpStatusCode.OK, $"{instance.Process.Name} is not healthy");
            using var alive = await http.GetAsync(new Uri(instance.BaseAddress, "/alive"), ct);
            alive.StatusCode.ShouldBe(HttpStatusCode.OK, $"{instance.Process.Name} is not alive");
        }
    }

    internal static string ServedBy(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Served-By", out var values) ? values.Single() : "(gateway)";
}

public sealed class OpenApiTests(GatewayPlatform platform)
{
    [Theory]
    [InlineData("account", "/api/sessions")]
    [InlineData("verification", "/api/verification/email/confirm")]
    public async Task Each_service_publishes_its_OpenAPI_document_through_the_gateway(string service, string documentedPath)
    {
        using var response = await platform.Gateway.GetAsync($"/openapi/{service}.json", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        var document = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        document.ShouldContain("\"openapi\"");
        document.ShouldContain(documentedPath);
        document.ShouldNotContain("/internal/");
    }
}
