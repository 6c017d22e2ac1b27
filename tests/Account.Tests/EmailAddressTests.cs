using AuthPlatform.Security;

namespace AuthPlatform.Account.Tests;

public sealed class EmailAddressTests
{
    [Theory]
    [InlineData("user@[10.0.0.5]")]
    [InlineData("user@[127.0.0.1]")]
    [InlineData("user@[IPv6:::1]")]
    [InlineData("user@[IPv6:2001:db8::1]")]
    [InlineData("user@[ipv6:fe80::1%25eth0]")]
    [InlineData("user@10.0.0.5")]
    [InlineData("user@169.254.169.254")]
    public void Domain_literals_and_ip_addresses_are_refused(string input)
    {
        // An address at an IP would send mail (and its links) to any host, internal ones included.
        EmailAddress.Normalize(input).ShouldBeNull();
    }

    [Theory]
    [InlineData("Alice@Example.COM", "Alice@example.com")]
    [InlineData("  bob+tag@mail.example.org ", "bob+tag@mail.example.org")]
    [InlineData("x@10.example.com", "x@10.example.com")]
    public void Ordinary_addresses_still_work(string input, string normalized)
    {
        EmailAddress.Normalize(input).ShouldBe(normalized);
    }
}
