using System.Net;
using AuthPlatform.Web;

namespace AuthPlatform.ServiceDefaults.Tests;

public sealed class ClientNetworkTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("fe80::1%3", "fe80::/64")]
    [InlineData("::1", "::/64")]
    public void Keys_IPv4_by_address_IPv6_by_its_64_and_IPv4_mapped_as_IPv4(string address, string key) =>
        ClientNetwork.Key(IPAddress.Parse(address)).ShouldBe(key);

    [Fact]
    public void Every_address_of_one_64_is_one_client_and_the_next_64_is_another()
    {
        var keys = Enumerable.Range(0, 50).Select(i => ClientNetwork.Key(IPAddress.Parse($"2001:db8:aa:bb:{i:x}:{i * 7:x}:{i * 13:x}:1"))).Distinct();
        keys.ShouldHaveSingleItem().ShouldBe("2001:db8:aa:bb::/64");
        ClientNetwork.Key(IPAddress.Parse("2001:db8:aa:bc::1")).ShouldNotBe("2001:db8:aa:bb::/64");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not an address")]
    [InlineData("999.1.1.1")]
    public void Missing_or_unparsable_addresses_are_the_unknown_bucket(string? address)
    {
        ClientNetwork.Key(address).ShouldBe(ClientNetwork.Unknown);
        ClientNetwork.Key((IPAddress?)null).ShouldBe(ClientNetwork.Unknown);
    }

    [Fact]
    public void Addresses_relayed_as_text_get_the_same_key()
    {
        ClientNetwork.Key("2001:db8:1:2:3:4:5:6").ShouldBe("2001:db8:1:2::/64");
        ClientNetwork.Key("::ffff:10.1.2.3").ShouldBe("10.1.2.3");
    }
}
