using System.Security.Cryptography;
using System.Text;

namespace AuthPlatform.Account.Passwords;

/// <summary>
/// PBKDF2-HMAC-SHA512 at OWASP's 210,000 iterations. The stored string carries its own parameters
/// ("pbkdf2-sha512$iterations$salt$hash"), so a hash made with weaker parameters is recognised and upgraded at
/// the next successful sign-in. Every hash runs through the <see cref="PasswordHashingGate"/> when one is given.
/// </summary>
public sealed class PasswordHasher(int iterations = PasswordHasher.OwaspIterations, PasswordHashingGate? gate = null)
{
    public const int OwaspIterations = 210_000;
    private const string Scheme = "pbkdf2-sha512";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    // Verified for unknown users so that "no such account" costs the same as "wrong password".
    private readonly Lazy<string> _dummy = new(() => HashCore("not-a-real-password", RandomNumberGenerator.GetBytes(SaltBytes), iterations));

    /// <summary>
    /// NFKC (ASVS 2.1.1 / NIST 800-63B 5.1.1.2): the same password typed on another keyboard or OS, with composed
    /// or decomposed accents or full-width digits, hashes the same.
    /// </summary>
    public static string Normalize(string password) => password.IsNormalized(NormalizationForm.FormKC) ? password : password.Normalize(NormalizationForm.FormKC);

    public Task<string> HashAsync(string password, CancellationToken cancellationToken) =>
        GatedAsync(() => HashCore(Normalize(password), RandomNumberGenerator.GetBytes(SaltBytes), iterations), cancellationToken);

    public Task<PasswordCheck> VerifyAsync(string storedHash, string password, CancellationToken cancellationToken) =>
        GatedAsync(() => VerifyNormalized(storedHash, password), cancellationToken);

    /// <summary>Burns the same time as a real verification; for unknown accounts.</summary>
    public Task<PasswordCheck> VerifyDummyAsync(string password, CancellationToken cancellationToken) =>
        VerifyAsync(_dummy.Value, password, cancellationToken);

    private Task<T> GatedAsync<T>(Func<T> hashing, CancellationToken cancellationToken) =>
        gate is null ? Task.FromResult(hashing()) : gate.RunAsync(hashing, cancellationToken);

    private PasswordCheck VerifyNormalized(string storedHash, string password)
    {
        var check = VerifyCore(storedHash, Normalize(password));
        // Hashes made before normalisation: the raw form still opens them, and the next sign-in upgrades them.
        if (check == PasswordCheck.Wrong && !password.IsNormalized(NormalizationForm.FormKC) && VerifyCore(storedHash, password) != PasswordCheck.Wrong)
        {
            return PasswordCheck.RightButOutdated;
        }
        return check;
    }

    private PasswordCheck VerifyCore(string storedHash, string password)
    {
        var parts = storedHash.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], out var storedIterations) || storedIterations < 1)
        {
            return PasswordCheck.Wrong;
        }
        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, storedIterations, HashAlgorithmName.SHA512, expected.Length);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
        {
            return PasswordCheck.Wrong;
        }
        return storedIterations < iterations ? PasswordCheck.RightButOutdated : PasswordCheck.Right;
    }

    private static string HashCore(string password, byte[] salt, int iterations)
    {
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, HashBytes);
        return $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }
}

public enum PasswordCheck
{
    Wrong,
    Right,
    RightButOutdated,
}
