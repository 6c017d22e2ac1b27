using PhoneNumbers;

namespace AuthPlatform.Testing;

public static class TestPhoneNumbers
{
    /// <summary>A random UK mobile number (E.164) that libphonenumber, and so the platform, accepts as valid.</summary>
    public static string NewMobile()
    {
        var util = PhoneNumberUtil.GetInstance();
        while (true)
        {
            var candidate = "+447400" + Random.Shared.Next(100_000, 999_999);
            var number = util.Parse(candidate, null);
            if (util.IsValidNumber(number) && util.GetNumberType(number) == PhoneNumberType.MOBILE)
            {
                return candidate;
            }
        }
    }
}
