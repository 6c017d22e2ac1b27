using System.Net;
using AuthPlatform.Mfa.Factors;
using AuthPlatform.Mfa.Totp;
using Npgsql;
using StackExchange.Redis;

namespace AuthPlatform.Mfa.Tests;

public sealed class ReplayAndRaceTests(MfaPlatform platform)
{
    private readonly TwoFactorClient _client = new(platform);

    [Fact]
    public async Task The_same_code_twice_is_refused_the_second_time_even_with_spaces()
    {
        var account = await _client.CreateAccountWithTotpAsync("replay");
        var code = await account.Phone.NextCodeAsync();

        using var first = await _client.SecondStepAsync(await _client.PasswordStepAsync(account.Email), "totp", code);
        using var again = await _client.SecondStepAsync(await _client.PasswordStepAsync(account.Email), "totp", code);
        using var spaced = await _client.SecondStepAsync(await _client.PasswordStepAsync(account.Email), "totp", $"{code[..3]} {code[3..]}");

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        again.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        spaced.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "\"123 456\" must not replay \"123456\"");
    }

    [Fact]
    public async Task A_code_accepted_before_Redis_lost_its_data_is_still_refused()
    {
        var account = await _client.CreateAccountWithTotpAsync("redis-amnesia");
        var code = await account.Phone.NextCodeAsync();
        using var first = await _client.SecondStepAsync(await _client.PasswordStepAsync(account.Email), "totp", code);
        first.StatusCode.ShouldBe(HttpStatusCode.OK);

        // Redis restarted without persistence, or failed over to an empty node: the replay cache is gone.
        await using (var redis = await ConnectionMultiplexer.ConnectAsync($"{platform.Servers.Redis.ConnectionString},allowAdmin=true"))
        {
            await redis.GetServers().Single().FlushAllDatabasesAsync();
        }

        using var replay = await _client.SecondStepAsync(await _client.PasswordStepAsync(account.Email), "totp", code);
        TotpVerifier.StepAt(DateTimeOffset.UtcNow).ShouldBeLessThanOrEqualTo(account.Phone.LastStep + 1, "the code is still inside the window, so only the replay rule can refuse it");
        replay.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "a spent step stays spent when Redis forgets it");
    }

    [Fact]
    public async Task A_code_of_an_earlier_step_is_refused_after_a_later_one_was_accepted()
    {
        var account = await _client.CreateAccountWithTotpAsync("earlier");
        var current = TotpVerifier.StepAt(DateTimeOffset.UtcNow);
        var later = Math.Max(current + 1, account.Phone.LastStep + 1);
        if (later > current + 1)
        {
            // The enrolment already used current+1: wait for the clock to move on.
            await Task.Delay(TimeSpan.FromSeconds(31));
            current = TotpVerifier.StepAt(DateTimeOffset.UtcNow);
            later = current + 1;
        }

        using var accepted = await _client.SecondStepAsync(await _client.PasswordStepAsync(account.Email), "totp", account.Phone.CodeForStep(later));
        accepted.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var earlier = await _client.SecondStepAsync(await _client.PasswordStepAsync(account.Email), "totp", account.Phone.CodeForStep(later - 1));
        earlier.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Fifty_concurrent_second_steps_with_one_valid_code_over_both_replicas_give_exactly_one_success()
    {
        var account = await _client.CreateAccountWithTotpAsync("race");
        var mfaTokens = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            mfaTokens.Add(await _client.PasswordStepAsync(account.Email));
        }
        var code = await account.Phone.NextCodeAsync();

        var responses = await Task.WhenAll(mfaTokens.Select(token => _client.SecondStepAsync(token, "totp", code)));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK || r.StatusCode == HttpStatusCode.Unauthorized
            || r.StatusCode == HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Twenty_concurrent_uses_of_one_recovery_code_give_exactly_one_success()
    {
        var account = await _client.CreateAccountWithTotpAsync("recovery-race");
        var mfaTokens = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            mfaTokens.Add(await _client.PasswordStepAsync(account.Email));
        }

        var responses = await Task.WhenAll(mfaTokens.Select(token => _client.SecondStepAsync(token, "recovery_code", account.RecoveryCodes[3])));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        await platform.Mailbox.WaitForAsync(account.Email, "recovery code was used");
        await Task.Delay(1500);
        (await platform.Mailbox.AllToAsync(account.Email)).Count(e => e.Subject.Contains("recovery code was used")).ShouldBe(1);
    }

    [Fact]
    public async Task Concurrent_wrong_guesses_never_get_more_than_five_tries()
    {
        var account = await _client.CreateAccountWithTotpAsync("guessing");
        var mfaTokens = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            mfaTokens.Add(await _client.PasswordStepAsync(account.Email));
        }
        var right = account.Phone.CodeForStep(TotpVerifier.StepAt(DateTimeOffset.UtcNow) + 1);
        var wrong = ((int.Parse(right) + 500_000) % 1_000_000).ToString("D6");

        var responses = await Task.WhenAll(mfaTokens.Select(token => _client.SecondStepAsync(token, "totp", wrong)));

        responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized).ShouldBeLessThanOrEqualTo(5);
        responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests).ShouldBeGreaterThanOrEqualTo(25);
        var locked = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        int.Parse(locked.Headers.GetValues("Retry-After").Single()).ShouldBeGreaterThan(0);

        // Locked means locked: even the right code waits.
        using var rightCode = await _client.SecondStepAsync(await _client.PasswordStepAsync(account.Email), "totp", right);
        rightCode.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task New_recovery_codes_asked_for_several_times_at_once_leave_ten_working_codes_not_more()
    {
        var account = await _client.CreateAccountWithTotpAsync("renew-twice");
        using var me = await _client.SendAsync(HttpMethod.Get, "/api/accounts/me", account.Tokens.AccessToken);
        var accountId = (await AccountClient.JsonAsync(me)).GetProperty("id").GetGuid();

        // Several tabs (five: the attempts one account may have in flight), each confirming with a recovery code of its
        // own. The test holds the account's turn, so every code is checked before any renewal writes: all five overlap.
        await using var database = new NpgsqlConnection(platform.Servers.Postgres.ConnectionStringFor("mfadb"));
        await database.OpenAsync();
        var turn = await database.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext(@lock), hashtext(@account))", database, turn))
        {
            take.Parameters.AddWithValue("lock", SecondFactorSettings.TurnLock);
            take.Parameters.AddWithValue("account", accountId.ToString());
            await take.ExecuteNonQueryAsync();
        }
        var renewals = Task.WhenAll(account.RecoveryCodes.Take(5).Select(code =>
            _client.SendAsync(HttpMethod.Post, "/api/mfa/recovery-codes", account.Tokens.AccessToken, new { code })));
        await PlatformFixture.EventuallyAsync("all five renewals wait for their turn", async () =>
        {
            await using var waiting = new NpgsqlCommand(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                database, turn);
            return (long)(await waiting.ExecuteScalarAsync())! == 5;
        }, TimeSpan.FromSeconds(30));
        await turn.RollbackAsync();

        var responses = await renewals;
        responses.Select(r => (int)r.StatusCode).ShouldAllBe(status => status == 200, "each had a valid code of its own");
        using var status = await _client.SendAsync(HttpMethod.Get, "/api/mfa", account.Tokens.AccessToken);
        (await AccountClient.JsonAsync(status)).GetProperty("recoveryCodesRemaining").GetInt32()
            .ShouldBe(10, "only the last set shown works; the others were replaced");
    }

    [Fact]
    public async Task Setups_started_several_times_at_once_all_answer_and_the_last_one_is_what_a_code_confirms()
    {
        var (_, tokens) = await _client.Accounts.CreateVerifiedAccountAsync("double-click");

        // A double click, or two tabs: authenticator-app setups at once each answer with a secret, none with a 5xx.
        var totpStarts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            _client.SendAsync(HttpMethod.Post, "/api/mfa/totp", tokens.AccessToken)));
        totpStarts.Select(r => (int)r.StatusCode).ShouldAllBe(status => status == 200);

        // Then text-message setups at once (an account may try three numbers a day): each is sent its code.
        var phones = Enumerable.Range(0, 3).Select(_ => TestPhoneNumbers.NewMobile()).ToList();
        var smsStarts = await Task.WhenAll(phones.Select(phone =>
            _client.SendAsync(HttpMethod.Post, "/api/mfa/sms", tokens.AccessToken, new { phoneNumber = phone })));
        smsStarts.Select(r => (int)r.StatusCode).ShouldAllBe(status => status == 202);

        // One setup stays pending: the text one, for one of the numbers; its own code confirms it.
        var confirmed = 0;
        foreach (var phone in phones)
        {
            using var confirm = await _client.SendAsync(HttpMethod.Post, "/api/mfa/sms/confirm", tokens.AccessToken,
                new { code = (await platform.Twilio.WaitForMessageAsync(phone)).Code });
            if (confirm.StatusCode == HttpStatusCode.OK)
            {
                confirmed++;
                break;
            }
        }
        confirmed.ShouldBe(1, "the pending number's code turns text messages on");
    }
}
