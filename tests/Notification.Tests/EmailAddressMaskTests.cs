using AuthPlatform.Notification.Diagnostics;

namespace AuthPlatform.Notification.Tests;

public sealed class EmailAddressMaskTests
{
    [Theory]
    [InlineData("alice@example.com", "a***@example.com")]
    [InlineData("a@example.com", "a***@example.com")]
    [InlineData("  bob.smith+tag@mail.example.org ", "b***@mail.example.org")]
    [InlineData("\"odd@local\"@example.com", "***@example.com")]
    public void An_address_keeps_its_first_character_and_domain(string address, string masked)
    {
        EmailAddressMask.Mask(address).ShouldBe(masked);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("no-at-sign")]
    [InlineData("@example.com")]
    [InlineData("alice@")]
    [InlineData("alice@example.com\nfake log line")]
    [InlineData("Alice <alice@example.com>")]
    public void Anything_that_is_not_a_plain_address_is_hidden_completely(string? address)
    {
        EmailAddressMask.Mask(address).ShouldBe("***");
    }

    [Fact]
    public void The_mask_never_contains_the_local_part()
    {
        EmailAddressMask.Mask("secret.person@example.com").ShouldNotContain("secret");
    }
}
