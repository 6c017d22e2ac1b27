using Microsoft.Extensions.Configuration;
using PhoneNumbers;

namespace AuthPlatform.Security;

/// <summary>
/// Which numbers may receive codes: parsed with libphonenumber into E.164; invalid, premium-rate, shared-cost and
/// other non-mobile numbers are refused, and so is any region outside Sms__AllowedRegions (none when unset).
/// mfa applies it when a number is enrolled, verification again before any text is sent (defence in depth).
/// </summary>
public sealed class PhoneNumberPolicy(IConfiguration configuration)
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();
    private readonly HashSet<string> _allowedRegions = [.. (configuration["Sms:AllowedRegions"] ?? "")
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(r => r.ToUpperInvariant())];

    /// <summary>The E.164 form, or the reason it is refused (safe to show).</summary>
    public (string? E164, string? Refusal) Check(string? input)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 32)
        {
            return (null, "Give the phone number in international form, e.g. +44 7911 123456.");
        }
        PhoneNumber number;
        try
        {
            number = Util.Parse(input, null);
        }
        catch (NumberParseException)
        {
            return (null, "This is not a phone number in international form (start with + and the country code).");
        }
        if (!Util.IsValidNumber(number))
        {
            return (null, "This phone number is not valid.");
        }
        var type = Util.GetNumberType(number);
        if (type is PhoneNumberType.PREMIUM_RATE or PhoneNumberType.SHARED_COST)
        {
            return (null, "Premium-rate and shared-cost numbers cannot receive codes.");
        }
        if (type is not (PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE))
        {
            return (null, "Codes can only be sent to mobile numbers.");
        }
        var region = Util.GetRegionCodeForNumber(number);
        if (!_allowedRegions.Contains(region))
        {
            return (null, $"Text messages cannot be sent to numbers in {region}. Use an authenticator app instead.");
        }
        return (Util.Format(number, PhoneNumberFormat.E164), null);
    }

    /// <summary>"+44 •••• ••3456": enough for the owner to recognise the number.</summary>
    public static string Masked(string e164) => e164.Length > 6 ? $"{e164[..3]} •••• ••{e164[^4..]}" : "••••";
}
