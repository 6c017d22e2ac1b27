namespace AuthPlatform.Notification.Sms;

/// <summary>
/// A text message that can never be sent, however often we try. The bus does not retry these: the message goes
/// straight to the <c>_error</c> queue. Messages never carry numbers, codes or message text, because they end
/// up in logs and in the error queue's headers.
/// </summary>
public abstract class UndeliverableSmsException(string message) : Exception(message);

/// <summary>A value the text needs (number, code) is missing or malformed. The value itself is not repeated.</summary>
public sealed class InvalidSmsValueException(string message) : UndeliverableSmsException(message);

/// <summary>The provider refused the message for good (see <see cref="SmsFailureKind.Permanent"/>).</summary>
public sealed class SmsRejectedException(string message) : UndeliverableSmsException(message);

/// <summary>The provider could not take the message now (throttled, down, unreachable); the bus retries.</summary>
public sealed class SmsSendFailedException(string message) : Exception(message);
