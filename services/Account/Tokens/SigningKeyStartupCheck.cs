using AuthPlatform.KeyEncryption;

namespace AuthPlatform.Account.Tokens;

/// <summary>
/// Opens the key ring once the schema is there: a service given another key-encryption certificate than the one the
/// stored keys were made with stops at start with that reason, instead of failing every sign-in.
/// </summary>
public sealed partial class SigningKeyStartupCheck(SigningKeyRing keys, IHostApplicationLifetime lifetime, ILogger<SigningKeyStartupCheck> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await keys.PublishedKeysAsync(stoppingToken);
                return;
            }
            catch (KeyEncryptionException ex)
            {
                LogWrongCertificate(ex.Message);
                Environment.ExitCode = 1;
                lifetime.StopApplication();
                return;
            }
            catch (Exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The database or its schema is not there yet; migrations run meanwhile.
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 10_000));
            }
        }
    }

    [LoggerMessage(LogLevel.Critical, "Refusing to run: the token-signing keys cannot be opened. {Reason}")]
    private partial void LogWrongCertificate(string reason);
}
