using AuthPlatform.Notification.Diagnostics;

namespace AuthPlatform.Notification.Sms;

/// <summary>
/// The development sender of design §3: only with <c>Sms__UseDevelopmentSender=true</c> (never by environment name)
/// a text message is written to the log instead of being sent. The log line carries the text (code included)
/// because in development the log IS the delivery channel; it is marked so that nobody mistakes it for a sent
/// message. Without that switch and without Twilio settings the worker refuses to start.
/// </summary>
public sealed partial class DevelopmentSmsSender(ILogger<DevelopmentSmsSender> logger) : ISmsSender
{
    public Task<SmsSendResult> SendAsync(string to, string body, CancellationToken cancellationToken)
    {
        LogDevelopmentSms(logger, PhoneNumberMask.Mask(to), body);
        return Task.FromResult<SmsSendResult>(new SmsSent("DEV" + Guid.NewGuid().ToString("N"), "logged"));
    }

    [LoggerMessage(1, LogLevel.Information, "DEVELOPMENT SMS (not sent) to {Recipient}:\n{Body}")]
    private static partial void LogDevelopmentSms(ILogger logger, string recipient, string body);
}
