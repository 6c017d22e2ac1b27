using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthPlatform.Mfa.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class SmsFactor : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PhoneNumber",
                table: "second_factors",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PhoneNumber",
                table: "pending_factors",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PhoneNumber",
                table: "second_factors");

            migrationBuilder.DropColumn(
                name: "PhoneNumber",
                table: "pending_factors");
        }
    }
}
