using System.Diagnostics;

namespace AuthPlatform.Testing;

/// <summary>Reads QR codes with zbarimg, a desktop QR decoder, as a phone's camera would.</summary>
public static class QrCodes
{
    /// <summary>The text of the QR code in a PNG.</summary>
    public static async Task<string> ScanAsync(byte[] png)
    {
        var file = Path.Combine(Path.GetTempPath(), $"qr-{Guid.NewGuid():N}.png");
        await File.WriteAllBytesAsync(file, png);
        try
        {
            using var zbar = Process.Start(new ProcessStartInfo("zbarimg", ["--raw", "-q", file]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var text = await zbar.StandardOutput.ReadToEndAsync();
            await zbar.WaitForExitAsync();
            return zbar.ExitCode == 0 ? text.TrimEnd('\n') : throw new InvalidOperationException("zbarimg could not find a QR code in the PNG");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The text of the QR code in a <c>data:image/png;base64,…</c> URI.</summary>
    public static Task<string> ScanDataUriAsync(string dataUri)
    {
        const string prefix = "data:image/png;base64,";
        return dataUri.StartsWith(prefix, StringComparison.Ordinal)
            ? ScanAsync(Convert.FromBase64String(dataUri[prefix.Length..]))
            : throw new InvalidOperationException($"Not a PNG data URI: {dataUri[..Math.Min(40, dataUri.Length)]}");
    }
}
