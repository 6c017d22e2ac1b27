using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages.Account.TwoFactor;

/// <summary>
/// SMS setup: country and number (POST /api/mfa/sms, with a current code when 2FA is on), then the texted code
/// (POST /api/mfa/sms/confirm) leading to the recovery codes. "Send a new code" asks the API again (its cooldown
/// and anti-pumping limits answer as sentences).
/// </summary>
public sealed class PhoneSetupModel(PlatformApi api, SealedCookie cookies, TimeProvider time) : FactorSetupPage<PendingPhone>(api, cookies)
{
    public const string PagePath = "/account/two-factor/sms";
    public const int MaxNumberLength = 32;

    /// <summary>Countries whose mobile numbers the portal offers (the platform's Sms__AllowedRegions decide in the end).</summary>
    public static readonly IReadOnlyList<(string Region, string Name, string CallingCode)> Countries =
    [
        ("AU", "Australia", "61"), ("CA", "Canada", "1"), ("FR", "France", "33"), ("DE", "Germany", "49"), ("IE", "Ireland", "353"),
        ("NL", "Netherlands", "31"), ("GB", "United Kingdom", "44"), ("US", "United States", "1"),
    ];

    public string? Country { get; private set; }

    public string? Number { get; private set; }

    public string? CountryError { get; private set; }

    public string? NumberError { get; private set; }

    public string? CurrentCodeError { get; private set; }

    public int MinutesLeft => Pending is null ? 0 : Math.Max(1, (int)Math.Ceiling((Pending.ExpiresAt - time.GetUtcNow()).TotalMinutes));

    protected override string Path => PagePath;

    protected override string SetupCookie => AccountSteps.PhoneSetupCookie;

    protected override string CodeMissing => "Enter the six-digit code from the text message.";

    public async Task<IActionResult> OnPostSendAsync(string? country, string? number, string? currentCode)
    {
        if (await StatusAsync() is { } leave)
        {
            return leave;
        }
        Country = Countries.Any(c => c.Region == country) ? country : null;
        Number = Trimmed(number, MaxNumberLength);
        var e164 = E164(Country, Number);
        if (Number.Length == 0)
        {
            NumberError = "Enter your mobile number.";
        }
        else if (e164 is null && Country is null && !Number.StartsWith('+'))
        {
            CountryError = "Choose your country, or type your number starting with + and the country code.";
        }
        else if (e164 is null)
        {
            NumberError = "Enter a phone number using digits only, for example 07400 123456.";
        }
        var code = Reconfiguring ? CurrentCode(currentCode) : null;
        if (Reconfiguring && code is null)
        {
            CurrentCodeError = "Enter a recovery code, or a current code from your authenticator app.";
        }
        if (CountryError is not null || NumberError is not null || CurrentCodeError is not null)
        {
            FormError = "Check the highlighted fields.";
            return PageWithStatus(StatusCodes.Status400BadRequest);
        }
        var sent = await Api.StartPhoneSetupAsync((await AccessTokenAsync())!, e164!, code, HttpContext.RequestAborted);
        if (sent.Value is not { } answer)
        {
            var problem = sent.Problem!;
            if (problem.Is("invalid-phone-number"))
            {
                NumberError = AccountMessages.For(problem);
            }
            else if (IsAboutTheCode(problem))
            {
                CurrentCodeError = AccountMessages.For(problem);
            }
            return Leave(problem, Path) ?? Shown(problem);
        }
        Remember(e164!, answer);
        return Redirect(Path + "?notice=sent");
    }

    public async Task<IActionResult> OnPostResendAsync()
    {
        Pending = Cookies.Read<PendingPhone>(HttpContext, AccountSteps.PhoneSetupCookie);
        if (Pending is null || Pending.Reconfiguring)
        {
            return Redirect(Path);
        }
        if (await AccessTokenAsync() is not { } accessToken)
        {
            return SessionEnded();
        }
        var sent = await Api.StartPhoneSetupAsync(accessToken, Pending.PhoneNumber, null, HttpContext.RequestAborted);
        if (sent.Value is not { } answer)
        {
            return Leave(sent.Problem!, Path) ?? Shown(sent.Problem!);
        }
        Remember(Pending.PhoneNumber, answer);
        return Redirect(Path + "?notice=sent");
    }

    public IActionResult OnPostRestart()
    {
        Cookies.Delete(HttpContext, AccountSteps.PhoneSetupCookie);
        return Redirect(Path);
    }

    protected override string? NoticeFor(PendingPhone pending, string? notice) =>
        notice == "sent" ? $"We texted a code to {pending.MaskedNumber}." : null;

    protected override Task<ApiResult<RecoveryCodesResponse>> ConfirmAsync(string accessToken, string digits) =>
        Api.ConfirmPhoneAsync(accessToken, digits, HttpContext.RequestAborted);

    /// <summary>The number in E.164: as typed when it starts with + (or 00), else the country's code and the national number without its leading 0.</summary>
    public static string? E164(string? region, string typed)
    {
        var compact = new string(typed.Where(c => c is not (' ' or '-' or '(' or ')' or '.')).ToArray());
        var international = compact.StartsWith('+') ? compact[1..] : compact.StartsWith("00", StringComparison.Ordinal) ? compact[2..] : null;
        var digits = international ?? compact;
        if (digits.Length is < 4 or > 17 || !digits.All(char.IsAsciiDigit))
        {
            return null;
        }
        if (international is not null)
        {
            return "+" + digits;
        }
        return Countries.FirstOrDefault(c => c.Region == region) is { Region: not null } country
            ? "+" + country.CallingCode + (digits.StartsWith('0') ? digits[1..] : digits)
            : null;
    }

    private void Remember(string e164, SmsStartedResponse answer)
    {
        var expiresAt = time.GetUtcNow().AddSeconds(answer.ExpiresIn);
        Cookies.Write(HttpContext, AccountSteps.PhoneSetupCookie, new PendingPhone(e164, answer.PhoneNumber, expiresAt, Reconfiguring),
            TimeSpan.FromSeconds(answer.SetupExpiresIn));
    }
}
