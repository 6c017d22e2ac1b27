using System.Security.Cryptography;
using System.Text;

namespace AuthPlatform.Security;

/// <summary>Random bearer secrets (verification links, refresh tokens, access-key secrets) and their stored form.</summary>
public static class OpaqueToken
{
    /// <summary>A URL-safe token of <paramref name="bytes"/> random bytes (32 = 256 bits).</summary>
    public static string New(int bytes = 32, string prefix = "") =>
        prefix + Base64Url(RandomNumberGenerator.GetBytes(bytes));

    /// <summary>SHA-256 of the token, lower-case hex: what is stored and looked up, never the token itself.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>True when <paramref name="token"/> could be one of ours: bounded length, URL-safe alphabet only.</summary>
    public static bool IsWellFormed(string? token, int maxLength = 128) =>
        token is { Length: > 0 } && token.Length <= maxLength && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Base64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
