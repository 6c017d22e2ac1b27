using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthPlatform.Account.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class PendingRegistrationsAndSessions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "pending_registrations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    EmailKey = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    PasswordHash = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pending_registrations", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_pending_registrations_EmailKey",
                table: "pending_registrations",
                column: "EmailKey");

            migrationBuilder.CreateIndex(
                name: "IX_pending_registrations_ExpiresAt",
                table: "pending_registrations",
                column: "ExpiresAt");

            // Unverified accounts become pending registrations with the same id, so the links already mailed for
            // them still work; whatever hung off them (nothing should) goes.
            migrationBuilder.Sql("""
                INSERT INTO pending_registrations ("Id", "Email", "EmailKey", "PasswordHash", "CreatedAt", "ExpiresAt")
                SELECT "Id", "Email", "EmailKey", "PasswordHash", "CreatedAt", now() + interval '72 hours'
                FROM accounts WHERE NOT "EmailVerified";
                DELETE FROM refresh_tokens WHERE "AccountId" IN (SELECT "Id" FROM accounts WHERE NOT "EmailVerified");
                DELETE FROM access_keys WHERE "AccountId" IN (SELECT "Id" FROM accounts WHERE NOT "EmailVerified");
                DELETE FROM accounts WHERE NOT "EmailVerified";
                """);

            migrationBuilder.DropColumn(
                name: "EmailVerified",
                table: "accounts");



            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "AuthenticatedAt",
                table: "refresh_tokens",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "FamilyExpiresAt",
                table: "refresh_tokens",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "StartedAt",
                table: "refresh_tokens",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "SessionsValidAfter",
                table: "accounts",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));


            migrationBuilder.Sql("""
                UPDATE refresh_tokens SET "StartedAt" = "CreatedAt", "AuthenticatedAt" = "CreatedAt", "FamilyExpiresAt" = "ExpiresAt";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "pending_registrations");

            migrationBuilder.DropColumn(
                name: "AuthenticatedAt",
                table: "refresh_tokens");

            migrationBuilder.DropColumn(
                name: "FamilyExpiresAt",
                table: "refresh_tokens");

            migrationBuilder.DropColumn(
                name: "StartedAt",
                table: "refresh_tokens");

            migrationBuilder.DropColumn(
                name: "SessionsValidAfter",
                table: "accounts");

            migrationBuilder.AddColumn<bool>(
                name: "EmailVerified",
                table: "accounts",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }
    }
}
