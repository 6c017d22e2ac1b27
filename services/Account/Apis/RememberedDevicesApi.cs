using System.Security.Claims;
using AuthPlatform.Account.Devices;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthPlatform.Account.Apis;

/// <summary>
/// The account's remembered devices ("Remember this device" at the second step): list them, forget one or all. A
/// forgotten device asks for the second factor at its next sign-in.
/// </summary>
public static class RememberedDevicesApi
{
    public const string Path = "/api/sessions/remembered-devices";

    public static IEndpointRouteBuilder MapRememberedDevicesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Path).WithTags("Sessions").RequireAuthorization().RequireSessionToken();
        api.MapGet("/", ListAsync).WithSummary("The devices that skip the second factor at sign-in (name, first seen, last seen, until when)");
        api.MapDelete("/", ForgetAllAsync).WithSummary("Forget every remembered device: each asks for the second factor again");
        api.MapDelete("/{id:guid}", ForgetAsync).WithSummary("Forget one remembered device; 404 when the account has no such device");
        return app;
    }

    public static async Task<Ok<IReadOnlyList<RememberedDeviceSummary>>> ListAsync(ClaimsPrincipal user, RememberedDevices devices,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await devices.ListAsync(user.AccountId()!.Value, cancellationToken));

    public static async Task<NoContent> ForgetAllAsync(ClaimsPrincipal user, RememberedDevices devices, CancellationToken cancellationToken)
    {
        await devices.ForgetAllAsync(user.AccountId()!.Value, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, NotFound>> ForgetAsync(Guid id, ClaimsPrincipal user, RememberedDevices devices,
        CancellationToken cancellationToken) =>
        await devices.ForgetAsync(user.AccountId()!.Value, id, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
}
