namespace AuthPlatform.Contracts;

/// <summary>
/// A request to notification to text a one-time code. Notification renders the message, including the
/// origin-bound last line (<c>@host #code</c>) that iOS and Android use to autofill only on the right site.
/// One SMS per message id, however often delivered.
/// </summary>
/// <param name="PhoneNumber">E.164, already validated against the allow-list.</param>
/// <param name="Code">Six digits; never logged.</param>
/// <param name="Purpose">One of <see cref="Internal.SmsCodePurpose"/>.</param>
/// <param name="ExpiresAt">When the code stops working; notification does not send it after that. Absent in messages from before it existed.</param>
/// <param name="Lifetime">How long the code works from its issue, as verification (its owner) is configured; the text says it. Absent in messages from before it existed.</param>
public sealed record SendSmsCode(string PhoneNumber, string Code, string Purpose, DateTimeOffset? ExpiresAt = null, TimeSpan? Lifetime = null);
