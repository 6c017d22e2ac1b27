namespace AuthPlatform.Account.Devices;

/// <summary>"Remember this device" (section <c>RememberedDevices</c>); account owns these values, the portal relays them.</summary>
public sealed class RememberedDeviceOptions
{
    public const string Section = "RememberedDevices";

    /// <summary>How long a remembered device skips the second factor, counted from when it was remembered.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// At most one "new device" email per account, client network and kind of device ("Chrome on Linux") in this
    /// time: a client that throws its device token away (a script, a benchmark) would otherwise send one per sign-in.
    /// </summary>
    public TimeSpan NewDeviceNoticeCooldown { get; set; } = TimeSpan.FromHours(1);

    public bool IsValid() => Lifetime > TimeSpan.Zero && Lifetime <= TimeSpan.FromDays(365)
        && NewDeviceNoticeCooldown >= TimeSpan.Zero && NewDeviceNoticeCooldown <= TimeSpan.FromDays(7);
}
