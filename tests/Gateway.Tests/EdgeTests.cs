using System.Net;
using System.Text.Json;

namespace AuthPlatform.Gateway.Tests;

public sealed class EdgeTests(GatewayPlatform platform)
{
    [Theory]
    [InlineData("/internal/anything")]
    [InlineData("/internal")]
    [InlineData("/INTERNAL/mfa/decision")]
    public async Task Internal_paths_are_never_routed(string path)
    {
        using var get = await platform.Gateway.GetAsync(path, TestContext.Current.CancellationToken);
        using var post = await platform.Gateway.PostAsync(path, new StringContent("{}"), TestContext.Current.CancellationToken);

        get.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        post.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        get.Headers.Contains("X-Served-By").ShouldBeFalse();
    }

    [Fact]
    public async Task A_one_mebibyte_body_is_refused_with_413()
    {
        var body = new ByteArrayContent(new byte[1024 * 1024]);
        body.Headers.ContentType = new("application/json");
        // As a careful client would: the gateway answers from Content-Length alone, before the body is sent (without
        // this the client may still be writing when the connection closes, and sees a broken pipe).
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/accounts") { Content = body };
        request.Headers.ExpectContinue = true;

        using var response = await platform.Gateway.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_refused_with_413()
    {
        // No Content-Length: the limit is enforced while the body streams through.
        var body = new StreamContent(new MemoryStream(new byte[1024 * 1024]));
        body.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/accounts") { Content = body };
        request.Headers.TransferEncodingChunked = true;

        using var response = await platform.Gateway.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_trace_started_at_the_gateway_continues_in_the_service()
    {
        var ct = TestContext.Current.CancellationToken;

        using var response = await platform.Gateway.GetAsync("/api/mfa/probe", ct);

        // The gateway started the trace and hands its id back as the correlation id…
        var traceId = response.Headers.GetValues("X-Correlation-Id").Single();
        traceId.ShouldMatch("^[0-9a-f]{32}$");
        // …and the MFA service's problem body carries the same trace (W3C traceparent: 00-<trace>-<span>-<flags>).
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        var traceparent = problem.RootElement.GetProperty("traceId").GetString()!;
        RoutingTests.ServedBy(response).ShouldStartWith("mfa/");
        traceparent.Split('-')[1].ShouldBe(traceId);
    }

    [Fact]
    public async Task A_client_correlation_id_is_kept_and_a_hostile_one_replaced()
    {
        var ct = TestContext.Current.CancellationToken;
        using var kept = new HttpRequestMessage(HttpMethod.Get, "/api/accounts/probe");
        kept.Headers.Add("X-Correlation-Id", "order-4711");
        using var keptResponse = await platform.Gateway.SendAsync(kept, ct);
        keptResponse.Headers.GetValues("X-Correlation-Id").Single().ShouldBe("order-4711");

        using var hostile = new HttpRequestMessage(HttpMethod.Get, "/api/accounts/probe");
        hostile.Headers.TryAddWithoutValidation("X-Correlation-Id", new string('x', 500) + "<script>");
        using var hostileResponse = await platform.Gateway.SendAsync(hostile, ct);
        hostileResponse.Headers.GetValues("X-Correlation-Id").Single().ShouldMatch("^[0-9a-f]{32}$");
    }
}
