using AuthPlatform.Notification.Infrastructure;

namespace AuthPlatform.Notification.Tests;

public sealed class SmtpServerTests
{
    [Fact]
    public void Smtp_without_a_port_uses_25_and_starttls()
    {
        SmtpServer.Parse("smtp://mail.example.com").ShouldBe(new SmtpServer("mail.example.com", 25, ImplicitTls: false, null, null));
    }

    [Fact]
    public void Smtps_without_a_port_uses_465_and_implicit_tls()
    {
        SmtpServer.Parse("smtps://mail.example.com").ShouldBe(new SmtpServer("mail.example.com", 465, ImplicitTls: true, null, null));
    }

    [Fact]
    public void An_explicit_port_wins()
    {
        SmtpServer.Parse("smtp://127.0.0.1:1025").ShouldBe(new SmtpServer("127.0.0.1", 1025, false, null, null));
        SmtpServer.Parse("smtps://mail.example.com:2465").Port.ShouldBe(2465);
    }

    [Fact]
    public void User_and_password_are_unescaped()
    {
        var server = SmtpServer.Parse("smtp://apikey%40example.com:p%3Ass%2Fw%40rd%25@smtp.example.com:587");

        server.UserName.ShouldBe("apikey@example.com");
        server.Password.ShouldBe("p:ss/w@rd%");
        server.Host.ShouldBe("smtp.example.com");
        server.Port.ShouldBe(587);
    }

    [Fact]
    public void A_user_without_a_password_has_an_empty_password()
    {
        var server = SmtpServer.Parse("smtp://relay@smtp.example.com");

        server.UserName.ShouldBe("relay");
        server.Password.ShouldBe("");
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("mail.example.com:25")]
    [InlineData("http://mail.example.com")]
    [InlineData("amqp://guest:guest@localhost:5672")]
    public void Anything_else_is_refused(string connectionString)
    {
        Should.Throw<InvalidOperationException>(() => SmtpServer.Parse(connectionString));
    }
}
