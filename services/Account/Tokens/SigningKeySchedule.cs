using AuthPlatform.Account.Model;

namespace AuthPlatform.Account.Tokens;

/// <summary>
/// The rotation timetable, as a function of the stored keys and the time: a successor is created (and published)
/// when the signing key reaches <see cref="SigningKeyOptions.RotateAfter"/>; it signs from
/// <see cref="SigningKeyOptions.PublishAhead"/> later, which is when its predecessor retires; the predecessor stays
/// published until the last token it signed has expired.
/// </summary>
public sealed class SigningKeySchedule(SigningKeyOptions options)
{
    /// <summary>A retired key verifies the tokens it signed for their whole life, plus the validators' clock skew (30 s).</summary>
    public static readonly TimeSpan PublishedAfterRetirement = AccessTokenIssuer.Lifetime + TimeSpan.FromMinutes(1);

    /// <summary>
    /// The key that signs at <paramref name="now"/>: the newest key that has been published for PublishAhead. The very
    /// first key signs at once: no token, and so no validator, can know an older one.
    /// </summary>
    public SigningKey? SignerAt(IReadOnlyCollection<SigningKey> keys, DateTimeOffset now)
    {
        var live = keys.Where(k => k.CreatedAt <= now && (k.RetiredAt is null || k.RetiredAt > now)).ToList();
        return live.Where(k => k.CreatedAt + options.PublishAhead <= now).MaxBy(k => k.CreatedAt) ?? live.MinBy(k => k.CreatedAt);
    }

    /// <summary>In the JWKS: from its creation until the tokens it signed have expired.</summary>
    public static bool IsPublishedAt(SigningKey key, DateTimeOffset now) =>
        key.CreatedAt <= now && (key.RetiredAt is null || now < key.RetiredAt + PublishedAfterRetirement);

    /// <summary>No token it signed is still valid: the row (and its private key) can go.</summary>
    public static bool IsSpentAt(SigningKey key, DateTimeOffset now) => key.RetiredAt + PublishedAfterRetirement <= now;

    /// <summary>True when the ring must create a key: none signs, or the signer is due for a successor it does not have yet.</summary>
    public bool NeedsNewKeyAt(IReadOnlyCollection<SigningKey> keys, DateTimeOffset now)
    {
        var signer = SignerAt(keys, now);
        return signer is null
            || (now >= signer.CreatedAt + options.RotateAfter && !keys.Any(k => k.CreatedAt > signer.CreatedAt));
    }

    /// <summary>Adds the next key at <paramref name="now"/>; the current signer retires when the new one takes over.</summary>
    public void Rotate(IReadOnlyCollection<SigningKey> keys, SigningKey successor, DateTimeOffset now)
    {
        successor.CreatedAt = now;
        if (SignerAt(keys, now) is { } current)
        {
            current.RetiredAt = now + options.PublishAhead;
        }
    }
}
