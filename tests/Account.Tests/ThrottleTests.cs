using System.Net;

namespace AuthPlatform.Account.Tests;

/// <summary>The per-(account, client network) limit as seen from one network (the tests' own); see LockoutTests for other networks.</summary>
public sealed class ThrottleTests(AccountPlatform platform)
{
    private readonly AccountClient _accounts = new(platform);

    [Fact]
    public async Task The_11th_attempt_from_one_network_after_10_wrong_passwords_gets_429_even_with_the_right_password()
    {
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("throttled");

        for (var i = 0; i < 10; i++)
        {
            using var wrong = await _accounts.SignInAsync(email, $"wrong password number {i}");
            wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"attempt {i + 1}");
        }
        using var right = await _accounts.SignInAsync(email);

        right.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        var retryAfter = int.Parse(right.Headers.GetValues("Retry-After").Single());
        retryAfter.ShouldBeInRange(1, 15 * 60);
        (await AccountClient.JsonAsync(right)).GetProperty("type").GetString()!.ShouldEndWith("too-many-attempts");
    }

    [Fact]
    public async Task Unknown_accounts_are_throttled_exactly_like_known_ones()
    {
        var email = PlatformFixture.NewEmail("ghost");
        for (var i = 0; i < 10; i++)
        {
            (await _accounts.SignInAsync(email, "some password")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
        (await _accounts.SignInAsync(email, "some password")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task One_persons_typos_do_not_lock_out_a_colleague_on_the_same_network()
    {
        var (colleague, _) = await _accounts.CreateVerifiedAccountAsync("colleague");
        var typist = PlatformFixture.NewEmail("typist");
        for (var i = 0; i < 12; i++)
        {
            await _accounts.SignInAsync(typist, "typo");
        }

        (await _accounts.SignInAsync(colleague)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}

public sealed class FailClosedTests(AccountPlatform platform)
{
    [Fact]
    public async Task Sign_in_answers_503_and_never_lets_anyone_in_while_Redis_is_down()
    {
        var accounts = new AccountClient(platform);
        var (email, _) = await accounts.CreateVerifiedAccountAsync("fail-closed");

        await platform.Servers.Redis.StopAsync();
        try
        {
            using var signIn = await accounts.SignInAsync(email);
            signIn.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            signIn.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        }
        finally
        {
            await platform.Servers.Redis.StartAsync();
        }
        await PlatformFixture.EventuallyAsync("sign-in works again", async () =>
            (await accounts.SignInAsync(email)).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30));
    }
}
