using System.Diagnostics;
using OtpNet;

namespace AuthPlatform.Portal.Tests;

/// <summary>
/// A phone's authenticator app: set up by scanning the QR code (zbarimg decodes the PNG, as a camera would; the secret
/// comes from the otpauth URI in it, never from the API's JSON), it shows the code of the current 30 s step and never
/// offers a step it already used (the platform accepts each step once).
/// </summary>
public sealed class AuthenticatorApp
{
    private readonly Totp _totp;
    private long _lastStep = long.MinValue;

    private AuthenticatorApp(string otpauthUri)
    {
        OtpauthUri = otpauthUri;
        var query = new Uri(otpauthUri).Query.TrimStart('?').Split('&').Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => Uri.UnescapeDataString(pair.ElementAtOrDefault(1) ?? ""));
        _totp = new Totp(Base32Encoding.ToBytes(query["secret"]), step: 30, mode: OtpHashMode.Sha1, totpSize: 6);
    }

    public string OtpauthUri { get; }

    /// <summary>Scans a <c>data:image/png;base64,…</c> QR code, as pointing the phone's camera at it would.</summary>
    public static async Task<AuthenticatorApp> ScanAsync(string pngDataUri)
    {
        const string prefix = "data:image/png;base64,";
        pngDataUri.ShouldStartWith(prefix);
        return await ScanPngAsync(Convert.FromBase64String(pngDataUri[prefix.Length..]));
    }

    public static async Task<AuthenticatorApp> ScanPngAsync(byte[] png)
    {
        var file = Path.Combine(Path.GetTempPath(), $"portal-qr-{Guid.NewGuid():N}.png");
        await File.WriteAllBytesAsync(file, png);
        try
        {
            using var zbar = Process.Start(new ProcessStartInfo("zbarimg", ["--raw", "-q", file]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var text = await zbar.StandardOutput.ReadToEndAsync();
            await zbar.WaitForExitAsync();
            zbar.ExitCode.ShouldBe(0, "zbarimg found no QR code in the image");
            var uri = text.TrimEnd('\n');
            uri.ShouldStartWith("otpauth://totp/");
            return new AuthenticatorApp(uri);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The code of the earliest step after the last one used that the server still accepts (waits for it if needed).</summary>
    public async Task<string> NextCodeAsync()
    {
        while (true)
        {
            var now = DateTime.UtcNow;
            var current = new DateTimeOffset(now).ToUnixTimeSeconds() / 30;
            var step = Math.Max(current, _lastStep + 1);
            if (step <= current + 1)
            {
                _lastStep = step;
                return _totp.ComputeTotp(DateTimeOffset.FromUnixTimeSeconds(step * 30).UtcDateTime);
            }
            await Task.Delay(500);
        }
    }

    /// <summary>A code that is certainly wrong now (for the error messages).</summary>
    public string WrongCode()
    {
        var now = DateTime.UtcNow;
        var valid = new[] { -1, 0, 1 }.Select(offset => _totp.ComputeTotp(now.AddSeconds(30 * offset))).ToHashSet();
        return Enumerable.Range(0, 1_000_000).Select(n => n.ToString("000000")).First(code => !valid.Contains(code));
    }
}
