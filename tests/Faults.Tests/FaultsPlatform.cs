namespace AuthPlatform.Faults.Tests;

/// <summary>
/// The platform the fault scenarios break: durable data as ./run.sh keeps it (a restarted server comes back with
/// what it had), the per-client and SMS limits lifted (one test machine is every client), and the notification
/// worker's SMTP server behind a relay that can turn slow.
/// </summary>
public sealed class FaultsPlatform : PlatformFixture
{
    public SlowSmtpRelay SmtpRelay { get; } = new();

    protected override bool DurableData => true;

    protected override IReadOnlyDictionary<string, string?> ServiceSettings => new Dictionary<string, string?>(LiftedPerClientLimits)
    {
        ["ConnectionStrings__smtp"] = $"smtp://127.0.0.1:{SmtpRelay.Port}",
        // The load enrols a new phone number every second from a few accounts.
        ["Sms__PerAccountLimit"] = "100000",
        ["Sms__EnrolmentNumbersPerAccountPerDay"] = "100000",
    };

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        SmtpRelay.UpstreamPort = Servers.Smtp.SmtpPort;
        SmtpRelay.Start();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await SmtpRelay.DisposeAsync();
    }
}
