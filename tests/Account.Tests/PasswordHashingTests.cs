using System.Diagnostics;
using System.Net;

namespace AuthPlatform.Account.Tests;

/// <summary>
/// Password hashing is the expensive part of the service. A flood of correct sign-ins must not starve it: hashing
/// runs behind a bounded queue (503 busy at once when full) and each account has a budget of correct sign-ins.
/// </summary>
public sealed class PasswordHashingTests(AccountPlatform platform)
{
    private readonly AccountClient _accounts = new(platform);

    [Fact]
    public async Task A_flood_of_correct_sign_ins_gets_fast_503_busy_with_Retry_After_never_500_and_the_service_stays_healthy()
    {
        var emails = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            emails.Add((await _accounts.CreateVerifiedAccountAsync($"flood-{i}")).Email);
        }

        // 7 sign-ins per account at once (within each account's budget of correct sign-ins per minute).
        var answers = await Task.WhenAll(emails.SelectMany(email => Enumerable.Repeat(email, 7)).Select(async email =>
        {
            var clock = Stopwatch.StartNew();
            var response = await _accounts.SignInAsync(email);
            return (Response: response, Elapsed: clock.Elapsed);
        }));

        try
        {
            answers.Select(a => a.Response.StatusCode).ShouldAllBe(s =>
                s == HttpStatusCode.OK || s == HttpStatusCode.ServiceUnavailable || s == HttpStatusCode.TooManyRequests);
            answers.ShouldContain(a => a.Response.StatusCode == HttpStatusCode.OK);
            // On a starved machine a Redis call can also time out: that is the fail-closed 503 "unavailable", never a 500.
            var busy = new List<(HttpResponseMessage Response, TimeSpan Elapsed)>();
            foreach (var answer in answers.Where(a => a.Response.StatusCode == HttpStatusCode.ServiceUnavailable))
            {
                answer.Response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
                var type = (await AccountClient.JsonAsync(answer.Response)).GetProperty("type").GetString()!;
                type.ShouldMatch("/(busy|unavailable)$");
                if (type.EndsWith("/busy", StringComparison.Ordinal))
                {
                    int.Parse(answer.Response.Headers.GetValues("Retry-After").Single()).ShouldBeInRange(1, 5);
                    busy.Add(answer);
                }
            }
            busy.ShouldNotBeEmpty("the hashing queue never filled up");
            // Refused at once, not after queueing behind every hash in flight.
            busy.Min(b => b.Elapsed).ShouldBeLessThan(answers.Where(a => a.Response.StatusCode == HttpStatusCode.OK).Max(a => a.Elapsed));
        }
        finally
        {
            foreach (var (response, _) in answers)
            {
                response.Dispose();
            }
        }

        var account = platform.Fleet.Replicas("account").Single();
        using var http = new HttpClient { BaseAddress = account.BaseAddress };
        (await http.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await PlatformFixture.EventuallyAsync("a sign-in after the flood", async () =>
            (await _accounts.SignInAsync(emails[0])).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Correct_sign_ins_beyond_10_a_minute_for_one_account_get_429_with_Retry_After()
    {
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("sign-in-loop");

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 12; i++)
        {
            var response = await _accounts.SignInAsync(email);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused ??= response;
            }
        }

        // The account's own sign-in at creation counted too: at most 10 correct sign-ins in the minute.
        statuses.Count(s => s == HttpStatusCode.OK).ShouldBeInRange(1, 9);
        statuses.SkipWhile(s => s == HttpStatusCode.OK).ShouldAllBe(s => s == HttpStatusCode.TooManyRequests);
        statuses[^1].ShouldBe(HttpStatusCode.TooManyRequests);
        refused.ShouldNotBeNull();
        int.Parse(refused.Headers.GetValues("Retry-After").Single()).ShouldBeInRange(1, 60);
        (await AccountClient.JsonAsync(refused)).GetProperty("type").GetString()!.ShouldEndWith("too-many-attempts");

        // Another account is not affected.
        var (other, _) = await _accounts.CreateVerifiedAccountAsync("sign-in-other");
        (await _accounts.SignInAsync(other)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Production_refuses_to_start_with_fewer_PBKDF2_iterations_than_OWASP_asks_and_says_why()
    {
        var log = await platform.RefusedProductionStartAsync(new Dictionary<string, string?> { ["PasswordHashing__Iterations"] = "100000" });
        log.ShouldContain("PasswordHashing:Iterations below 210000 (OWASP) is for Development only.");
    }
}
